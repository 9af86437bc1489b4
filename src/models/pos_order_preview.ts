/**
 * pos.order.loyalty_preview(order): the loyalty engine's answer for an order, over execute_kw.
 * Reads only (one statement per request besides the cached definitions), so it runs without
 * a transaction; refusals are UserErrors (fault 2 over XML-RPC), as Odoo's own loyalty errors.
 */
import { defineMethod } from '../orm/methods';
import { UserError } from '../errors';
import { loyaltyPreview } from './loyalty/preview';

defineMethod('pos.order', 'loyalty_preview', async (env, args, kwargs) => {
  const order = args.length ? args[0] : kwargs.order;
  if (order === undefined) throw new UserError('loyalty_preview needs the order as its first argument.');
  return loyaltyPreview(env, order);
}, { readonly: true });

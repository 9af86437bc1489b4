import { Knex } from 'knex';
import { loadConfig } from '../config';
import { onOrderProcessed } from '../orders/hooks';
import { currentTier, evaluatePartner } from './membership-evaluate';
import { utcDay } from './membership-facts';

/**
 * After each processed order (in its transaction): stamp pos_order.membership_product_id with
 * the tier the partner held when the order was processed (the tier its programs were gated
 * by), then evaluate the partner's tier with the order counted.
 */
let policy: ReturnType<typeof loadConfig>['membershipDowngrade'] | undefined;

onOrderProcessed(async (event) => {
  if (event.partnerId === null) return;
  const cr = event.cr as Knex.Transaction;
  if (event.posOrderId !== null) {
    const held = await currentTier(cr, event.partnerId, utcDay(event.now));
    await cr('pos_order').where({ id: event.posOrderId }).update({ membership_product_id: held.tier?.productId ?? null });
  }
  // The environment was validated at start-up; the hook has no other way to the configuration.
  policy ??= loadConfig().membershipDowngrade;
  await evaluatePartner(cr, event.partnerId, { now: event.now, policy, uid: event.uid ?? 1 });
});

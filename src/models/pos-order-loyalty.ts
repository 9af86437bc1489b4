/**
 * pos.order's loyalty methods of Odoo 17's POS (point_of_sale create_from_ui, pos_loyalty
 * validate_coupon_programs and confirm_coupon_programs), with Odoo's signatures and answer
 * shapes, computed by the sidecar: the engine's figures win over the till's.
 */
import { defineMethod } from '../orm/methods';
import { bindArgs, opt, req } from '../orm/signature';
import { valueError } from '../errors';
import { pyFloat, pyInt } from '../rpc/values';
import { checkAccessRights } from '../orm/access';
import { requireRecords } from '../orm/access-path';
import { searchIds } from '../orm/search';
import { isRecordIdValue } from '../bounds';
import { createOrdersFromUi } from '../orders/pos-ui-order';
import { confirmCouponPrograms, spendablePoints, TillCoupon } from '../orders/pos-coupons';

const ids = (value: unknown): number[] => (Array.isArray(value) ? value : [value]).map(pyInt);

defineMethod('pos.order', 'create_from_ui', async (env, args, kwargs) => {
  const a = bindArgs({ qualname: 'PosOrder.create_from_ui', params: [req('orders'), opt('draft', false)] }, args, kwargs);
  await checkAccessRights(env, 'pos.order', 'create');
  const written = await createOrdersFromUi(env.cr, env.uid, a.orders as Parameters<typeof createOrdersFromUi>[2], Boolean(a.draft), new Date(), env.app.config.limits);
  if (!written.length) return [];
  // The orders written must satisfy the user's record rules (their session's company), as Odoo's create.
  await requireRecords(env, 'pos.order', 'create', written);
  // search_read([('id', 'in', ids)], ['id', 'pos_reference', 'account_move'], load=False), in pos.order's _order.
  const rows = await env.cr('pos_order').whereIn('id', written).orderBy([{ column: 'date_order', order: 'desc' }, { column: 'name', order: 'desc' }, { column: 'id', order: 'desc' }])
    .select('id', 'pos_reference', 'account_move');
  return rows.map((r: { id: number; pos_reference: string | null; account_move: number | null }) => ({ id: r.id, pos_reference: r.pos_reference ?? false, account_move: r.account_move ?? false }));
});

defineMethod('pos.order', 'validate_coupon_programs', async (env, args, kwargs) => {
  const a = bindArgs({ qualname: 'PosOrder.validate_coupon_programs', params: [req('self'), req('point_changes'), req('new_codes')] }, args, kwargs);
  const changes = new Map(Object.entries((a.point_changes ?? {}) as Record<string, number>).map(([k, v]) => [pyInt(k), Number(v)]));
  // browse(ids).exists() reads no field (no check); filtered('program_id.active') reads the
  // cards as the POS user: rights and record rules, an AccessError for a card they may not read.
  const asked = [...changes.keys()].filter(isRecordIdValue);
  const existing = (await env.cr('loyalty_card').whereIn('id', asked).select('id')).map((r: { id: number }) => r.id);
  await requireRecords(env, 'loyalty.card', 'read', existing);
  const cards = await spendablePoints(env.cr, existing, new Date());
  const removed = [...changes.keys()].filter((id) => !cards.has(id));
  if (removed.length) {
    return { successful: false, payload: { message: 'Some coupons are invalid. The applied coupons have been updated. Please check the order.', removed_coupons: removed } };
  }
  for (const [id, card] of cards) {
    // Odoo compares at 2 digits; the sidecar counts only points that have not expired.
    if (Math.round((card.spendable + changes.get(id)!) * 100) < 0) {
      // int keys, as Odoo's dict: JSON-RPC turns them into strings, XML-RPC refuses them (TypeError).
      const updated = new Map([...cards].map(([cid, c]) => [cid, pyFloat(c.points)]));
      return { successful: false, payload: { message: `There are not enough points for the coupon: ${card.code}.`, updated_points: updated } };
    }
  }
  const newCodes = ((a.new_codes ?? []) as unknown[]).filter((c): c is string => typeof c === 'string');
  if (newCodes.length) {
    // search([('code', 'in', new_codes)]) as the user: the cards their rules let them see.
    const found = await searchIds(env, 'loyalty.card', [['code', 'in', newCodes]], { order: 'id' });
    const existing = found.length ? (await env.cr('loyalty_card').whereIn('id', found).orderBy('id').select('code')).map((r: { code: string }) => r.code) : [];
    if (existing.length) {
      return { successful: false, payload: { message: `The following codes already exist in the database, perhaps they were already sold?\n${existing.join(', ')}` } };
    }
  }
  return { successful: true, payload: {} };
});

defineMethod('pos.order', 'confirm_coupon_programs', async (env, args, kwargs) => {
  const a = bindArgs({ qualname: 'PosOrder.confirm_coupon_programs', params: [req('self'), req('coupon_data')] }, args, kwargs);
  const orders = ids(a.self);
  if (orders.length !== 1) throw valueError(`Expected singleton: pos.order(${orders.join(', ')}${orders.length === 1 ? ',' : ''})`);
  await checkAccessRights(env, 'pos.order', 'write');
  // self.lines as the POS user: the order must be theirs to read (rules; MissingError when gone).
  await requireRecords(env, 'pos.order', 'read', orders);
  const till = new Map(Object.entries((a.coupon_data ?? {}) as Record<string, TillCoupon>).map(([k, v]) => [pyInt(k), v]));
  const answer = await confirmCouponPrograms(env.cr, orders[0], till, { uid: env.uid, now: new Date(), app: env.app });
  return { ...answer, coupon_updates: answer.coupon_updates.map((u) => ({ ...u, points: pyFloat(u.points) })) };
});

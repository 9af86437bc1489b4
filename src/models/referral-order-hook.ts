import { onOrderProcessed } from '../orders/hooks';
import { awardReferrals } from '../orders/referral';

/**
 * After processed POS orders (in their transaction): the referral codes their customers gave
 * at the till (pos_order.referral_code_used) reward the referrers of first orders
 * (src/orders/referral.ts). External orders carry their code themselves (process-external-order.ts).
 */
onOrderProcessed(async (events) => {
  const sales = events.filter((e) => e.kind === 'order' && e.posOrderId !== null && e.partnerId !== null);
  if (!sales.length) return;
  const { cr, uid, now } = sales[0];
  const rows = (await cr.raw(`
    SELECT id, name, partner_id, company_id, pos_reference, to_char(date_order, 'YYYY-MM-DD HH24:MI:SS') AS date_order, referral_code_used
      FROM pos_order WHERE id = ANY(?) AND referral_code_used IS NOT NULL AND partner_id IS NOT NULL ORDER BY date_order, id`,
  [sales.map((e) => e.posOrderId!)])).rows as Array<{ id: number; name: string; partner_id: number; company_id: number; pos_reference: string | null; date_order: string; referral_code_used: string }>;
  await awardReferrals(cr, rows.map((r) => ({
    posOrderId: r.id, reference: r.pos_reference, name: r.name, partnerId: r.partner_id, companyId: r.company_id, dateOrder: r.date_order, code: r.referral_code_used,
  })), { uid, now });
});

import { Knex } from 'knex';
import { MissingError } from '../errors';
import { SoldOrder } from './types';

/** Reads a POS order and its lines (with their taxes) as they were sold. */
export async function loadPosOrder(cr: Knex, posOrderId: number): Promise<SoldOrder> {
  const order = (await cr.raw(`
    SELECT id, name, state, partner_id, company_id, pos_reference,
           to_char(date_order, 'YYYY-MM-DD HH24:MI:SS') AS date_order
      FROM pos_order WHERE id = ?`, [posOrderId])).rows[0];
  if (!order) throw new MissingError(`Record does not exist or has been deleted.\n(Record: pos.order(${posOrderId},), User: 1)`);
  const lines = (await cr.raw(`
    SELECT l.id, l.product_id, l.qty::float8 AS qty, l.price_unit::float8 AS price_unit, COALESCE(l.discount, 0)::float8 AS discount,
           l.price_subtotal_incl::float8 AS price_subtotal_incl, COALESCE(l.is_reward_line, false) AS is_reward_line,
           l.reward_id, l.coupon_id, COALESCE(l.points_cost, 0) AS points_cost, l.refunded_orderline_id,
           COALESCE(array_agg(r.account_tax_id ORDER BY r.account_tax_id) FILTER (WHERE r.account_tax_id IS NOT NULL), '{}') AS tax_ids
      FROM pos_order_line l LEFT JOIN account_tax_pos_order_line_rel r ON r.pos_order_line_id = l.id
     WHERE l.order_id = ? GROUP BY l.id ORDER BY l.id`, [posOrderId])).rows;
  // Codes matter only to the rewards the order carries: most orders carry none.
  const codes = !lines.some((l: { is_reward_line: boolean }) => l.is_reward_line) ? [] : (await cr.raw(`
    SELECT DISTINCT COALESCE(c.code, rule.code) AS code
      FROM pos_order_line l
      JOIN loyalty_reward rw ON rw.id = l.reward_id
      JOIN loyalty_program p ON p.id = rw.program_id AND p.trigger = 'with_code'
      LEFT JOIN loyalty_card c ON c.id = l.coupon_id AND p.program_type IN ('coupons', 'gift_card', 'next_order_coupons')
      LEFT JOIN LATERAL (SELECT code FROM loyalty_rule WHERE program_id = p.id AND active AND mode = 'with_code' AND code IS NOT NULL ORDER BY id LIMIT 1) rule ON true
     WHERE l.order_id = ? AND l.is_reward_line`, [posOrderId])).rows.map((r: { code: string | null }) => r.code).filter(Boolean);
  return {
    posOrderId: order.id,
    reference: order.pos_reference,
    name: order.name,
    state: order.state,
    partnerId: order.partner_id,
    companyId: order.company_id,
    dateOrder: order.date_order,
    codes,
    lines: lines.map((l: Record<string, unknown>) => ({
      id: l.id as number,
      productId: l.product_id as number,
      qty: l.qty as number,
      priceUnit: l.price_unit as number,
      discount: l.discount as number,
      taxIds: l.tax_ids as number[],
      priceSubtotalIncl: l.price_subtotal_incl as number,
      isRewardLine: l.is_reward_line as boolean,
      rewardId: l.reward_id as number | null,
      couponId: l.coupon_id as number | null,
      pointsCost: l.points_cost as number,
      refundedOrderlineId: l.refunded_orderline_id as number | null,
    })),
  };
}

import { Knex } from 'knex';
import { MissingError } from '../errors';
import { PROGRAM_INFO_COLUMNS, ProgramInfo } from './apply';
import { ProcessSource, SoldOrder } from './types';

/** A POS order claimed for processing, read with what processing needs of it. */
export interface ClaimedPosOrder {
  order: SoldOrder;
  /** The active programs, read with the order for applyOrderPoints. */
  programs: Map<number, ProgramInfo>;
  /** Programs limited to other points of sale than the order's (pos_config_ids not listing its config). */
  otherConfigPrograms: Set<number>;
}

/**
 * Claims the order in sidecar_processed_order (the unique key makes processing happen once)
 * and reads it with its lines (and their taxes) as they were sold, in one statement: one round
 * trip. Null when the order had been claimed before (by whoever): nothing was read.
 */
export async function claimPosOrder(cr: Knex, posOrderId: number, claim: { source: ProcessSource; uid: number | null }): Promise<ClaimedPosOrder | null> {
  const row = (await cr.raw(`
    WITH claimed AS (
      INSERT INTO sidecar_processed_order (pos_order_id, source, create_uid) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING id
    )
    SELECT EXISTS (SELECT 1 FROM claimed) AS claimed, o.id, o.name, o.state, o.partner_id, o.company_id, o.pos_reference,
           to_char(o.date_order, 'YYYY-MM-DD HH24:MI:SS') AS date_order,
           (SELECT COALESCE(json_agg(l ORDER BY l.id), '[]') FROM (
              SELECT l.id, l.product_id, l.qty::float8 AS qty, l.price_unit::float8 AS price_unit, COALESCE(l.discount, 0)::float8 AS discount,
                     l.price_subtotal_incl::float8 AS price_subtotal_incl, COALESCE(l.is_reward_line, false) AS is_reward_line,
                     l.reward_id, l.coupon_id, COALESCE(l.points_cost, 0)::float8 AS points_cost, l.refunded_orderline_id,
                     COALESCE(array_agg(r.account_tax_id ORDER BY r.account_tax_id) FILTER (WHERE r.account_tax_id IS NOT NULL), '{}') AS tax_ids
                FROM pos_order_line l LEFT JOIN account_tax_pos_order_line_rel r ON r.pos_order_line_id = l.id
               WHERE l.order_id = o.id GROUP BY l.id) l) AS lines,
           (SELECT COALESCE(array_agg(x.id), '{}') FROM (
              SELECT r.loyalty_program_id AS id FROM loyalty_program_pos_config_rel r
               GROUP BY r.loyalty_program_id HAVING NOT bool_or(r.pos_config_id = o.config_id)) x) AS other_config_programs,
           (SELECT COALESCE(json_agg(p), '[]') FROM (SELECT ${PROGRAM_INFO_COLUMNS.join(', ')} FROM loyalty_program WHERE active) p) AS programs
      FROM (SELECT ?::int AS id) want LEFT JOIN pos_order o ON o.id = want.id`, [posOrderId, claim.source, claim.uid, posOrderId])).rows[0];
  if (!row.claimed) return null;
  if (row.id === null) throw new MissingError(`Record does not exist or has been deleted.\n(Record: pos.order(${posOrderId},), User: 1)`);
  const lines = row.lines as Array<Record<string, unknown>>;
  // Codes matter only to the rewards the order carries: most orders carry none.
  const codes = !lines.some((l) => l.is_reward_line) ? [] : (await cr.raw(`
    SELECT DISTINCT COALESCE(c.code, rule.code) AS code
      FROM pos_order_line l
      JOIN loyalty_reward rw ON rw.id = l.reward_id
      JOIN loyalty_program p ON p.id = rw.program_id AND p.trigger = 'with_code'
      LEFT JOIN loyalty_card c ON c.id = l.coupon_id AND p.program_type IN ('coupons', 'gift_card', 'next_order_coupons')
      LEFT JOIN LATERAL (SELECT code FROM loyalty_rule WHERE program_id = p.id AND active AND mode = 'with_code' AND code IS NOT NULL ORDER BY id LIMIT 1) rule ON true
     WHERE l.order_id = ? AND l.is_reward_line`, [posOrderId])).rows.map((r: { code: string | null }) => r.code).filter(Boolean);
  const order: SoldOrder = {
    posOrderId: row.id,
    reference: row.pos_reference,
    name: row.name,
    state: row.state,
    partnerId: row.partner_id,
    companyId: row.company_id,
    dateOrder: row.date_order,
    codes,
    lines: lines.map((l) => ({
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
  const programs = new Map((row.programs as ProgramInfo[]).map((p) => [p.id, p]));
  return { order, programs, otherConfigPrograms: new Set(row.other_config_programs as number[]) };
}

import { Knex } from 'knex';
import { PROGRAM_INFO_COLUMNS, ProgramInfo } from './apply';
import { ProcessSource, SoldOrder } from './types';
import { FallbackPoints } from './fallback';

/** A POS order claimed for processing, read with what processing needs of it. */
export interface ClaimedPosOrder {
  order: SoldOrder;
  /** Programs limited to other points of sale than the order's (pos_config_ids not listing its config). */
  otherConfigPrograms: Set<number>;
  /** The partner whose membership the order's partner shares (res_partner.associate_member). */
  associateOf: number | null;
  /** What Odoo's own code gave the order's cards while the sidecar was unreachable (fallback.ts), or null. */
  fallbackPoints: FallbackPoints | null;
}

export interface ClaimedPosOrders {
  /** Per id asked: the order claimed now, 'taken' (claimed before, by whoever: nothing was read), 'missing' (no such order). */
  orders: Map<number, ClaimedPosOrder | 'taken' | 'missing'>;
  /** The active programs, read with the orders for applyOrderPoints. */
  programs: Map<number, ProgramInfo>;
}

/**
 * Claims the orders in sidecar_processed_order (the unique key makes processing happen once;
 * claimed in id order, so two batches wait on each other without deadlocking) and reads them
 * with their lines (and their taxes) as they were sold, in one statement however many orders:
 * one round trip.
 */
export async function claimPosOrders(cr: Knex, posOrderIds: number[], claim: { source: ProcessSource; uid: number | null }): Promise<ClaimedPosOrders> {
  const ids = [...new Set(posOrderIds)];
  const rows = (await cr.raw(`
    WITH want AS (
      SELECT id, i FROM unnest(?::int[]) WITH ORDINALITY w(id, i)
    ), claimed AS (
      INSERT INTO sidecar_processed_order (pos_order_id, source, create_uid)
      SELECT id, ?, ? FROM want WHERE EXISTS (SELECT 1 FROM pos_order o WHERE o.id = want.id)
       ORDER BY id ON CONFLICT DO NOTHING RETURNING pos_order_id
    ), lines AS (
      -- All the orders' lines in one pass, whatever the planner thinks of the tables' sizes.
      SELECT l.order_id, json_agg(l ORDER BY l.id) AS lines FROM (
        SELECT l.order_id, l.id, l.product_id, l.qty::float8 AS qty, l.price_unit::float8 AS price_unit, COALESCE(l.discount, 0)::float8 AS discount,
               l.price_subtotal_incl::float8 AS price_subtotal_incl, COALESCE(l.is_reward_line, false) AS is_reward_line,
               l.reward_id, l.coupon_id, COALESCE(l.points_cost, 0)::float8 AS points_cost, l.refunded_orderline_id,
               COALESCE(array_agg(r.account_tax_id ORDER BY r.account_tax_id) FILTER (WHERE r.account_tax_id IS NOT NULL), '{}') AS tax_ids
          FROM pos_order_line l LEFT JOIN account_tax_pos_order_line_rel r ON r.pos_order_line_id = l.id
         WHERE l.order_id IN (SELECT id FROM want) GROUP BY l.id) l
       GROUP BY l.order_id
    )
    SELECT want.id AS want_id, EXISTS (SELECT 1 FROM claimed c WHERE c.pos_order_id = want.id) AS claimed,
           o.id, o.name, o.state, o.partner_id, o.company_id, o.pos_reference, o.loyalty_fallback_points,
           (SELECT associate_member FROM res_partner WHERE id = o.partner_id) AS associate_of,
           to_char(o.date_order, 'YYYY-MM-DD HH24:MI:SS') AS date_order,
           COALESCE(lines.lines, '[]') AS lines,
           (SELECT COALESCE(array_agg(x.id), '{}') FROM (
              SELECT r.loyalty_program_id AS id FROM loyalty_program_pos_config_rel r
               GROUP BY r.loyalty_program_id HAVING NOT bool_or(r.pos_config_id = o.config_id)) x) AS other_config_programs,
           CASE WHEN want.i = 1 THEN (SELECT COALESCE(json_agg(p), '[]') FROM (SELECT ${PROGRAM_INFO_COLUMNS.join(', ')} FROM loyalty_program WHERE active) p) END AS programs
      FROM want LEFT JOIN pos_order o ON o.id = want.id LEFT JOIN lines ON lines.order_id = o.id ORDER BY want.i`, [ids, claim.source, claim.uid])).rows as Array<Record<string, unknown>>;
  const hasRewards = (row: Record<string, unknown>) => (row.lines as Array<Record<string, unknown>>).some((l) => l.is_reward_line);
  // Codes matter only to the rewards an order carries: most orders carry none.
  const withRewards = rows.filter((r) => r.claimed && r.id !== null && hasRewards(r)).map((r) => r.id as number);
  const codes = new Map<number, string[]>();
  if (withRewards.length) {
    for (const r of (await cr.raw(`
      SELECT DISTINCT l.order_id, COALESCE(c.code, rule.code) AS code
        FROM pos_order_line l
        JOIN loyalty_reward rw ON rw.id = l.reward_id
        JOIN loyalty_program p ON p.id = rw.program_id AND p.trigger = 'with_code'
        LEFT JOIN loyalty_card c ON c.id = l.coupon_id AND p.program_type IN ('coupons', 'gift_card', 'next_order_coupons')
        LEFT JOIN LATERAL (SELECT code FROM loyalty_rule WHERE program_id = p.id AND active AND mode = 'with_code' AND code IS NOT NULL ORDER BY id LIMIT 1) rule ON true
       WHERE l.order_id = ANY(?) AND l.is_reward_line`, [withRewards])).rows as Array<{ order_id: number; code: string | null }>) {
      if (r.code) codes.set(r.order_id, [...(codes.get(r.order_id) ?? []), r.code]);
    }
  }
  const orders = new Map<number, ClaimedPosOrder | 'taken' | 'missing'>();
  for (const row of rows) {
    const wanted = row.want_id as number;
    if (row.id === null) orders.set(wanted, 'missing');
    else if (!row.claimed) orders.set(wanted, 'taken');
    else orders.set(wanted, { order: soldOrder(row, codes.get(wanted) ?? []), otherConfigPrograms: new Set(row.other_config_programs as number[]), associateOf: row.associate_of as number | null,
      fallbackPoints: (row.loyalty_fallback_points as FallbackPoints | null) ?? null });
  }
  const programs = new Map(((rows[0]?.programs ?? []) as ProgramInfo[]).map((p) => [p.id, p]));
  return { orders, programs };
}

function soldOrder(row: Record<string, unknown>, codes: string[]): SoldOrder {
  return {
    posOrderId: row.id as number,
    reference: row.pos_reference as string | null,
    name: row.name as string,
    state: row.state as string,
    partnerId: row.partner_id as number | null,
    companyId: row.company_id as number,
    dateOrder: row.date_order as string,
    codes,
    lines: (row.lines as Array<Record<string, unknown>>).map((l) => ({
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

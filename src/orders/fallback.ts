import { Knex } from 'knex';
import { log } from '../log';
import { odooDatetime } from '../ledger/time';

/**
 * Points Odoo's own code gave while the sidecar could not be reached. When the bridge addon
 * cannot reach the sidecar for the till's confirm_coupon_programs, it lets Odoo's pos_loyalty
 * answer (the till keeps selling) and records on the order what that changed on each card,
 * pos_order.loyalty_fallback_points {"<card id>": points}. Whenever the sidecar processes the
 * order (the sweep, a late hook), before or after that, it takes those points back once: the
 * card then holds what the ledger's own moves for the order say, and no point counts twice.
 * sidecar_processed_order.fallback_settled_at records that it was done.
 */
export type FallbackPoints = Record<string, number>;

/**
 * Takes back what Odoo gave these orders' cards, and marks the orders settled. The orders must
 * be claimed in sidecar_processed_order (processed now or before). Cards are locked in id order
 * (with the lock order processing takes: cards.ts lockOrderCards).
 */
/** The cards these fallback records name. */
export function fallbackCards(points: Array<FallbackPoints | null | undefined>): number[] {
  return points.flatMap((p) => Object.keys(p ?? {}).map(Number).filter((id) => Number.isInteger(id) && id > 0));
}

export async function settleFallbacks(cr: Knex, orders: Array<{ posOrderId: number; points: FallbackPoints }>, now: Date): Promise<void> {
  if (!orders.length) return;
  const perCard = new Map<number, number>();
  for (const o of orders) {
    for (const [card, points] of Object.entries(o.points)) {
      const id = Number(card);
      if (!Number.isInteger(id) || id < 1 || typeof points !== 'number' || !Number.isFinite(points)) continue;
      perCard.set(id, (perCard.get(id) ?? 0) + points);
    }
  }
  const cards = [...perCard.keys()].sort((a, b) => a - b);
  if (cards.length) {
    await cr.raw('SELECT id FROM loyalty_card WHERE id = ANY(?) ORDER BY id FOR NO KEY UPDATE', [cards]);
    await cr.raw(`UPDATE loyalty_card c SET points = COALESCE(c.points, 0) - v.points FROM unnest(?::int[], ?::float8[]) v(id, points) WHERE c.id = v.id`,
      [cards, cards.map((id) => perCard.get(id)!)]);
  }
  await cr('sidecar_processed_order').whereIn('pos_order_id', orders.map((o) => o.posOrderId)).update({ fallback_settled_at: odooDatetime(now) });
  log.info('points Odoo gave while the sidecar was unreachable taken back: the ledger\'s own count stands', {
    pos_orders: orders.map((o) => o.posOrderId), cards: Object.fromEntries(perCard),
  });
}

/** The sweep's part: orders processed before Odoo's own code gave their points (the till could not reach the sidecar in between). */
export async function settleProcessedFallbacks(cr: Knex, now: Date): Promise<number> {
  const rows = (await cr.raw(`
    SELECT o.id, o.loyalty_fallback_points AS points FROM pos_order o JOIN sidecar_processed_order p ON p.pos_order_id = o.id
     WHERE o.loyalty_fallback_points IS NOT NULL AND p.fallback_settled_at IS NULL ORDER BY o.id`)).rows as Array<{ id: number; points: FallbackPoints }>;
  await settleFallbacks(cr, rows.map((r) => ({ posOrderId: r.id, points: r.points })), now);
  return rows.length;
}

import { Knex } from 'knex';
import { log } from '../log';
import { writeLedger } from '../ledger/ledger';
import { LedgerEntry, roundPoints } from '../ledger/types';
import { metrics } from '../metrics/registry';
import { AppliedCard, SoldOrder } from './types';
import { ApplyContext, checkCardWrites } from './apply';

/**
 * A refund takes back, from each card, the points its original order earned and gives back
 * the points it spent, in proportion to the share of the original order it refunds (by
 * tax-included amount of the non-reward lines). Shares of successive refunds of one order
 * never add up to more than the whole. `ensureProcessed` makes sure the original order went
 * through the ledger first (a refund can arrive before the sweep saw its original).
 */
export async function applyRefund(
  cr: Knex,
  order: SoldOrder,
  ctx: Pick<ApplyContext, 'uid' | 'now' | 'app'> & { ensureProcessed: (posOrderId: number) => Promise<void> },
): Promise<{ cards: AppliedCard[]; refunded: Array<{ pos_order_id: number; share: number }> }> {
  const refundLines = order.lines.filter((l) => l.refundedOrderlineId !== null && !l.isRewardLine);
  const originals = (await cr.raw(`
    SELECT l.id, l.order_id FROM pos_order_line l WHERE l.id = ANY(?)`, [refundLines.map((l) => l.refundedOrderlineId as number)])).rows as Array<{ id: number; order_id: number }>;
  const originalOf = new Map(originals.map((o) => [o.id, o.order_id]));
  const amountPerOriginal = new Map<number, number>();
  for (const l of refundLines) {
    const o = originalOf.get(l.refundedOrderlineId!);
    if (o !== undefined) amountPerOriginal.set(o, (amountPerOriginal.get(o) ?? 0) + Math.abs(l.priceSubtotalIncl));
  }

  const cards = new Map<number, AppliedCard & { entries: LedgerEntry[] }>();
  const refunded: Array<{ pos_order_id: number; share: number }> = [];
  for (const [originalId, amount] of amountPerOriginal) {
    await ctx.ensureProcessed(originalId);
    const totals = (await cr.raw(`
      SELECT (SELECT COALESCE(SUM(price_subtotal_incl), 0)::float8 FROM pos_order_line WHERE order_id = ? AND NOT COALESCE(is_reward_line, false)) AS total,
             (SELECT COALESCE(SUM(abs(rl.price_subtotal_incl)), 0)::float8
                FROM pos_order_line rl JOIN pos_order_line ol ON ol.id = rl.refunded_orderline_id
                JOIN sidecar_processed_order p ON p.pos_order_id = rl.order_id
               WHERE ol.order_id = ? AND rl.order_id <> ? AND NOT COALESCE(rl.is_reward_line, false)) AS before`,
    [originalId, originalId, order.posOrderId])).rows[0] as { total: number; before: number };
    if (totals.total <= 0) continue;
    const share = Math.max(0, Math.min(amount, totals.total - totals.before)) / totals.total;
    refunded.push({ pos_order_id: originalId, share });
    if (share === 0) continue;
    const moves = (await cr.raw(`
      SELECT m.card_id, c.program_id,
             COALESCE(SUM(m.points) FILTER (WHERE m.kind = 'earn'), 0)::float8 AS earned,
             COALESCE(-SUM(m.points) FILTER (WHERE m.kind = 'redeem'), 0)::float8 AS spent
        FROM loyalty_point_move m JOIN loyalty_card c ON c.id = m.card_id
       WHERE m.pos_order_id = ? GROUP BY m.card_id, c.program_id ORDER BY m.card_id`, [originalId])).rows as Array<{ card_id: number; program_id: number; earned: number; spent: number }>;
    if (!moves.length) log.info('refund of an order that moved no points', { refund: order.posOrderId, original: originalId });
    for (const m of moves) {
      const takeBack = roundPoints(m.earned * share);
      const giveBack = roundPoints(m.spent * share);
      const c = cards.get(m.card_id) ?? { card_id: m.card_id, program_id: m.program_id, won: 0, spent: 0, balance: 0, created: false, entries: [] };
      if (takeBack) c.entries.push({ kind: 'refund', points: -takeBack, drawFirst: { posOrderId: originalId } });
      if (giveBack) c.entries.push({ kind: 'refund', points: giveBack });
      c.won -= takeBack;
      c.spent -= giveBack;
      cards.set(m.card_id, c);
    }
  }

  const applied: AppliedCard[] = [];
  await checkCardWrites(cr, ctx, [...cards.values()].filter((c) => c.entries.length).map((c) => c.card_id));
  for (const { entries, ...card } of cards.values()) {
    if (entries.length) {
      // A refund may leave a card below zero when its points were already spent: it is a debt, logged.
      const r = await writeLedger(cr, {
        cardId: card.card_id, entries, uid: ctx.uid, now: ctx.now, maxPoints: ctx.app?.config.limits.points,
        origin: { posOrderId: order.posOrderId, reference: order.reference, description: `Refund ${order.name}` },
      });
      card.balance = r.balance;
      if (r.balance < 0) log.warn('refund left a card below zero', { card_id: card.card_id, balance: r.balance, refund: order.posOrderId });
      metrics.pointsMoved.inc({ kind: 'refund' }, entries.reduce((s, e) => s + Math.abs(e.points), 0));
    }
    applied.push({ ...card, won: roundPoints(card.won), spent: roundPoints(card.spent) });
  }
  return { cards: applied, refunded };
}

import { Knex } from 'knex';
import { UserError } from '../errors';
import { log } from '../log';
import { metrics } from '../metrics/registry';
import { applyOrderPoints } from './apply';
import { computeOrderPoints } from './engine';
import { rewardLineCosts, withActualCosts } from './reward-cost';
import { onlyPosConfigPrograms } from './pos-config-programs';
import { runOrderProcessedHooks } from './hooks';
import { loadPosOrder } from './load-pos-order';
import { applyRefund } from './refund';
import { AppliedCard, ProcessResult, ProcessSource, SoldOrder } from './types';

const PAID_STATES = new Set(['paid', 'done', 'invoiced']);

export interface ProcessOutcome {
  pos_order_id: number;
  /** false: the order had been processed before (by whoever): nothing was written now. */
  processed: boolean;
  result: ProcessResult | null;
}

/**
 * Applies a paid POS order's points once. The unique key on sidecar_processed_order makes
 * "once" hold in the database: a hook, the sweep and the API racing on one order wait on the
 * key, and all but the first find it taken and write nothing.
 */
export async function processPosOrder(cr: Knex, posOrderId: number, opts: { source: ProcessSource; uid: number | null; now: Date }): Promise<ProcessOutcome> {
  const claimed = await cr.raw(
    `INSERT INTO sidecar_processed_order (pos_order_id, source, create_uid) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
    [posOrderId, opts.source, opts.uid],
  );
  if (!claimed.rows.length) {
    const prev = await cr('sidecar_processed_order').where({ pos_order_id: posOrderId }).first('result');
    return { pos_order_id: posOrderId, processed: false, result: prev?.result ?? null };
  }
  const order = await loadPosOrder(cr, posOrderId);
  if (!PAID_STATES.has(order.state)) throw new UserError(`The order ${order.name} is not paid: its points are applied once it is.`);

  const cards: AppliedCard[] = [];
  let refunded: ProcessResult['refunded'];
  const isRefund = order.lines.some((l) => l.refundedOrderlineId !== null);
  if (isRefund) {
    const r = await applyRefund(cr, order, {
      uid: opts.uid, now: opts.now,
      ensureProcessed: async (id) => { await processPosOrder(cr, id, opts); },
    });
    cards.push(...r.cards);
    refunded = r.refunded;
  }
  // Lines sold in the same order (an exchange) earn as any sale.
  const sold: SoldOrder = { ...order, lines: order.lines.filter((l) => l.refundedOrderlineId === null) };
  if (sold.lines.some((l) => !l.isRewardLine && l.qty > 0)) {
    const computed = await computeOrderPoints(cr, sold, 'pos');
    // Lines of rewards the engine refuses (the card lacks the points, the program ended) cost nothing.
    const costs = await rewardLineCosts(cr, sold, computed.refused);
    logTillDifferences(sold, costs);
    const rows = await onlyPosConfigPrograms(cr, posOrderId, withActualCosts(computed.rows, costs));
    cards.push(...(await applyOrderPoints(cr, sold, rows, { uid: opts.uid, now: opts.now, description: `Order ${order.name}` })));
  }
  const result: ProcessResult = { kind: isRefund ? 'refund' : 'order', cards, ...(refunded ? { refunded } : {}) };
  await cr('sidecar_processed_order').where({ pos_order_id: posOrderId }).update({ result: JSON.stringify(result) });
  await runOrderProcessedHooks({
    cr, posOrderId, reference: order.reference, partnerId: order.partnerId, companyId: order.companyId,
    kind: result.kind, cards, uid: opts.uid, now: opts.now,
  });
  metrics.ordersProcessed.inc({ source: opts.source, kind: result.kind });
  return { pos_order_id: posOrderId, processed: true, result };
}

/** The till priced the rewards itself; the rewards' own rules are what is charged, and a difference is logged. */
function logTillDifferences(order: SoldOrder, costs: Awaited<ReturnType<typeof rewardLineCosts>>): void {
  const till = new Map<number, number>();
  for (const l of order.lines) {
    if (l.isRewardLine && l.rewardId !== null) till.set(l.rewardId, (till.get(l.rewardId) ?? 0) + l.pointsCost);
  }
  const tillTotal = [...till.values()].reduce((a, b) => a + b, 0);
  const ours = [...costs.values()].flat().reduce((s, c) => s + c.cost, 0);
  if (Math.abs(tillTotal - ours) > 0.005) log.warn('till and sidecar disagree on what the rewards cost: the sidecar wins', { pos_order_id: order.posOrderId, till: tillTotal, sidecar: ours });
}

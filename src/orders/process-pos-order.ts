import { Knex } from 'knex';
import { AppContext } from '../context';
import { MissingError, UserError } from '../errors';
import { log } from '../log';
import { metrics } from '../metrics/registry';
import { ApplyContext, applyOrdersPoints, ProgramInfo } from './apply';
import { computeOrdersPoints } from './engine';
import { rewardLineCosts, withActualCosts } from './reward-cost';
import { onlyPosConfigPrograms } from './pos-config-programs';
import { ProcessedOrderEvent, runOrderProcessedHooks } from './hooks';
import { ClaimedPosOrder, claimPosOrders } from './load-pos-order';
import { applyRefund } from './refund';
import { lockOrderCards } from './cards';
import { fallbackCards, settleFallbacks } from './fallback';
import { AppliedCard, PointsRow, ProcessResult, ProcessSource, SoldOrder } from './types';

const PAID_STATES = new Set(['paid', 'done', 'invoiced']);

export interface ProcessOptions {
  source: ProcessSource;
  uid: number | null;
  now: Date;
  /** The running service (the engine's catalogue loader caches the ORM registry on it). */
  app: AppContext;
}

export interface ProcessOutcome {
  pos_order_id: number;
  /** false: the order had been processed before (by whoever), or failed: nothing was written now. */
  processed: boolean;
  result: ProcessResult | null;
  /** processPosOrders: why this order was not processed (logged; the others were). */
  error?: Error;
}

/**
 * Applies a paid POS order's points once: processPosOrders with one order. The unique key on
 * sidecar_processed_order makes "once" hold in the database: a hook, the sweep and the API
 * racing on one order wait on the key, and all but the first find it taken and write nothing.
 */
export async function processPosOrder(cr: Knex, posOrderId: number, opts: ProcessOptions): Promise<ProcessOutcome> {
  try {
    return (await processBatch(cr, [posOrderId], opts))[0];
  } catch (err) {
    throw err instanceof OrderFailed ? err.cause : err;
  }
}

/** An error that one order of a batch caused: the batch can go again without it. */
class OrderFailed extends Error {
  constructor(readonly posOrderId: number, override readonly cause: Error) {
    super(cause.message);
  }
}

/**
 * Applies many paid POS orders' points in the caller's transaction, set-based: claimed and
 * read in one statement, catalogues read together, the engine per order in memory, the earns
 * of all their cards written in one statement, the membership of their partners evaluated
 * together. A failing order must not block the others and must write nothing: the batch is
 * undone (a savepoint) and goes again without it when the error says which order caused it
 * (an order not paid, a refund); otherwise the orders go one by one, each in its own
 * savepoint. The bad one is logged and answered with its error.
 */
export async function processPosOrders(cr: Knex, posOrderIds: number[], opts: ProcessOptions): Promise<ProcessOutcome[]> {
  let ids = [...new Set(posOrderIds)];
  const out = new Map<number, ProcessOutcome>();
  const answer = () => [...new Set(posOrderIds)].map((id) => out.get(id)!);
  while (ids.length) {
    try {
      for (const o of await cr.transaction((sp) => processBatch(sp, ids, opts))) out.set(o.pos_order_id, o);
      return answer();
    } catch (err) {
      if (err instanceof OrderFailed && ids.includes(err.posOrderId)) {
        out.set(err.posOrderId, failed(err.posOrderId, err.cause, opts));
        ids = ids.filter((id) => id !== err.posOrderId);
        continue;
      }
      if (ids.length === 1) {
        out.set(ids[0], failed(ids[0], err as Error, opts));
        return answer();
      }
      log.warn('an order of the batch failed: processing them one by one', { orders: ids.length, error: (err as Error).message });
      break;
    }
  }
  for (const id of ids) {
    try {
      for (const o of await cr.transaction((sp) => processBatch(sp, [id], opts))) out.set(o.pos_order_id, o);
    } catch (err) {
      out.set(id, failed(id, err instanceof OrderFailed ? err.cause : (err as Error), opts));
    }
  }
  return answer();
}

function failed(posOrderId: number, error: Error, opts: ProcessOptions): ProcessOutcome {
  log.error('order not processed', { pos_order_id: posOrderId, source: opts.source, error: error.message });
  return { pos_order_id: posOrderId, processed: false, result: null, error };
}

/** The orders of one batch, processed in rounds; throws on the first bad order (the caller undoes the batch). */
async function processBatch(cr: Knex, posOrderIds: number[], opts: ProcessOptions): Promise<ProcessOutcome[]> {
  const { orders, programs } = await claimPosOrders(cr, posOrderIds, opts);
  const out = new Map<number, ProcessOutcome>();
  const pending: ClaimedPosOrder[] = [];
  for (const [id, claimed] of orders) {
    if (claimed === 'missing') throw new OrderFailed(id, new MissingError(`Record does not exist or has been deleted.\n(Record: pos.order(${id},), User: 1)`));
    if (claimed === 'taken') continue;
    if (!PAID_STATES.has(claimed.order.state)) throw new OrderFailed(id, new UserError(`The order ${claimed.order.name} is not paid: its points are applied once it is.`));
    pending.push(claimed);
  }
  const taken = [...orders].filter(([, c]) => c === 'taken').map(([id]) => id);
  if (taken.length) {
    for (const prev of await cr('sidecar_processed_order').whereIn('pos_order_id', taken).select('pos_order_id', 'result')) {
      out.set(prev.pos_order_id, { pos_order_id: prev.pos_order_id, processed: false, result: prev.result ?? null });
    }
  }
  // Every card the batch may write, locked first, in the one global order (cards.ts).
  await lockOrderCards(cr, pending.map((c) => c.order), { moreCards: fallbackCards(pending.map((c) => c.fallbackPoints)) });
  // Odoo's own code gave some of these orders points while the sidecar was unreachable: taken back first.
  await settleFallbacks(cr, pending.filter((c) => c.fallbackPoints).map((c) => ({ posOrderId: c.order.posOrderId!, points: c.fallbackPoints! })), opts.now);
  const batch = new Batch(cr, opts, programs, pending);
  await batch.run();
  for (const [id, result] of batch.results) out.set(id, { pos_order_id: id, processed: true, result });
  return [...orders.keys()].map((id) => out.get(id)!);
}

/**
 * The claimed orders of a batch, applied in rounds that give each order what processing the
 * orders one by one, in their sequence, would: a round holds at most one order per partner
 * and orders that see no card another of its orders sees or writes (an order's points may
 * depend on its card's balance and its partner's tier, which the order before changes); a
 * refund is a round of its own (it reads what its original order wrote). An order that
 * cannot join a round waits for the next one, and so do the orders after it that share its
 * partner or cards.
 */
class Batch {
  readonly results = new Map<number, ProcessResult>();

  constructor(
    private readonly cr: Knex,
    private readonly opts: ProcessOptions,
    private readonly programs: Map<number, ProgramInfo>,
    private pending: ClaimedPosOrder[],
  ) {}

  async run(): Promise<void> {
    while (this.pending.length) {
      const first = this.pending[0];
      if (isRefund(first.order)) {
        this.pending.shift();
        // Alone in its round: whatever fails there is this order's doing.
        await this.round([first]).catch((err) => {
          throw new OrderFailed(first.order.posOrderId!, err instanceof OrderFailed ? err.cause : err);
        });
        continue;
      }
      // Up to the next refund: orders after it wait for it.
      const upTo = this.pending.findIndex(({ order }) => isRefund(order));
      const candidates = upTo < 0 ? this.pending : this.pending.slice(0, upTo);
      const deferred = await this.round(candidates);
      this.pending = [...deferred, ...this.pending.slice(candidates.length)];
    }
  }

  /** Applies the orders that can go together; answers the others, in their order. */
  private async round(candidates: ClaimedPosOrder[]): Promise<ClaimedPosOrder[]> {
    const { cr, opts } = this;
    const blocked = new Set<string>();
    const deferred: ClaimedPosOrder[] = [];
    // What an order may touch, known before the engine: its partner and its partner's
    // associate (whose tier the partner shares), the cards its lines name.
    const keysOf = (c: ClaimedPosOrder) => [
      ...[c.order.partnerId, c.associateOf].filter((p) => p !== null).map((p) => `p${p}`),
      ...c.order.lines.filter((l) => l.couponId !== null).map((l) => `c${l.couponId}`),
    ];
    let members: ClaimedPosOrder[] = [];
    for (const c of candidates) {
      const keys = keysOf(c);
      if (keys.some((k) => blocked.has(k))) deferred.push(c);
      else members.push(c);
      keys.forEach((k) => blocked.add(k));
    }
    const refunded = new Map<number, ProcessResult['refunded']>();
    const cards = new Map<number, AppliedCard[]>(members.map((m) => [m.order.posOrderId!, []]));
    for (const m of members.filter((m) => isRefund(m.order))) {
      const r = await applyRefund(cr, m.order, { uid: opts.uid, now: opts.now, app: opts.app, ensureProcessed: (id) => this.ensureProcessed(id) });
      cards.get(m.order.posOrderId!)!.push(...r.cards);
      refunded.set(m.order.posOrderId!, r.refunded);
    }
    // Lines sold in the same order (an exchange) earn as any sale.
    const sold = new Map(members.map((m) => [m.order.posOrderId!, { ...m.order, lines: m.order.lines.filter((l) => l.refundedOrderlineId === null) }]));
    const earning = members.filter((m) => sold.get(m.order.posOrderId!)!.lines.some((l) => !l.isRewardLine && l.qty > 0));
    const computed = await computeOrdersPoints(cr, opts.app, earning.map((m) => sold.get(m.order.posOrderId!)!), 'pos');
    // The cards the engine saw: a later order seeing a card an earlier one sees waits for the next round.
    const seen = new Set<number>();
    const apply: Array<{ order: SoldOrder; rows: PointsRow[]; ctx: ApplyContext }> = [];
    for (const [i, m] of earning.entries()) {
      const order = sold.get(m.order.posOrderId!)!;
      const waits = computed[i].cardIds.some((id) => seen.has(id));
      computed[i].cardIds.forEach((id) => seen.add(id));
      if (waits) {
        deferred.push(m);
        members = members.filter((x) => x !== m);
        continue;
      }
      // Lines of rewards the engine refuses (the card lacks the points, the program ended) cost nothing.
      const costs = await rewardLineCosts(cr, order, computed[i].refused);
      logTillDifferences(order, costs);
      const rows = onlyPosConfigPrograms(withActualCosts(computed[i].rows, costs), m.otherConfigPrograms);
      apply.push({ order, rows, ctx: { uid: opts.uid, now: opts.now, description: `Order ${m.order.name}`, app: opts.app } });
    }
    const applied = await applyOrdersPoints(cr, apply, this.programs);
    apply.forEach((a, i) => cards.get(a.order.posOrderId!)!.push(...applied[i]));

    const events: ProcessedOrderEvent[] = [];
    for (const m of members) {
      const id = m.order.posOrderId!;
      const r = refunded.get(id);
      const result: ProcessResult = { kind: isRefund(m.order) ? 'refund' : 'order', cards: cards.get(id)!, ...(r ? { refunded: r } : {}) };
      this.results.set(id, result);
      events.push({
        cr, posOrderId: id, reference: m.order.reference, partnerId: m.order.partnerId, companyId: m.order.companyId,
        kind: result.kind, cards: result.cards, uid: opts.uid, now: opts.now,
      });
    }
    if (members.length) {
      await cr.raw(`UPDATE sidecar_processed_order p SET result = s.result::jsonb FROM unnest(?::int[], ?::text[]) s(id, result) WHERE p.pos_order_id = s.id`,
        [members.map((m) => m.order.posOrderId!), members.map((m) => JSON.stringify(this.results.get(m.order.posOrderId!)))]);
    }
    await runOrderProcessedHooks(events);
    for (const e of events) metrics.ordersProcessed.inc({ source: opts.source, kind: e.kind });
    // A deferred order keeps its place before the orders that came after it.
    return candidates.filter((c) => deferred.includes(c));
  }

  /**
   * A refund's original order goes through the ledger first: now, if it waits in this batch
   * (as one by one, the refund that comes first processes it); else on its own.
   */
  private async ensureProcessed(posOrderId: number): Promise<void> {
    const waiting = this.pending.find((c) => c.order.posOrderId === posOrderId);
    if (!waiting) {
      await processBatch(this.cr, [posOrderId], this.opts);
      return;
    }
    this.pending = this.pending.filter((c) => c !== waiting);
    // Alone in its round, it cannot be kept for a later one.
    await this.round([waiting]);
  }
}

const isRefund = (order: SoldOrder) => order.lines.some((l) => l.refundedOrderlineId !== null);

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

import { AppContext } from '../context';
import { ProcessOutcome, processPosOrders } from './process-pos-order';
import { ProcessSource } from './types';

/** Orders one transaction takes at most. */
const MAX_BATCH = 200;

/**
 * Single-order requests (the hooks) coalesced into batches: while a batch is being processed,
 * the orders that arrive wait and then go together in the next one (processPosOrders, one
 * transaction). A lone request goes at once, so nobody waits for a batch to fill up; under
 * load, requests share transactions and commits. Each request gets its own order's outcome,
 * or its error (the other orders of the batch are not affected by it).
 */
export class PosOrderCoalescer {
  private waiting: Array<{ id: number; resolve: (o: ProcessOutcome) => void; reject: (e: Error) => void }> = [];
  private running = false;

  constructor(private readonly app: AppContext, private readonly as: { source: ProcessSource; uid: number }) {}

  process(posOrderId: number): Promise<ProcessOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ id: posOrderId, resolve, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.waiting.length) {
        // An order asked twice goes in the next batch the second time: it answers "already processed", as it would alone.
        const ids = new Set<number>();
        const batch = this.waiting.filter((w) => ids.size < MAX_BATCH && !ids.has(w.id) && ids.add(w.id));
        this.waiting = this.waiting.filter((w) => !batch.includes(w));
        try {
          const outcomes = await this.app.db.knex.transaction((cr) =>
            processPosOrders(cr, batch.map((w) => w.id), { ...this.as, now: new Date(), app: this.app }));
          const byId = new Map(outcomes.map((o) => [o.pos_order_id, o]));
          for (const w of batch) {
            const o = byId.get(w.id)!;
            if (o.error) w.reject(o.error);
            else w.resolve(o);
          }
        } catch (err) {
          for (const w of batch) w.reject(err as Error);
        }
      }
    } finally {
      this.running = false;
    }
  }
}

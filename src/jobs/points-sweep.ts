import { defineJob } from './registry';
import { log } from '../log';
import { processPosOrder } from '../orders/process-pos-order';
import { reconcileCards } from '../ledger/reconcile';

/** Orders processed per run at most: a backlog drains over several runs, each one short. */
const BATCH = 2000;

/**
 * Every few minutes: paid POS orders no hook brought (the bridge was down, an Odoo POS without
 * it) are processed, each in its own savepoint so one bad order does not block the others; then
 * the reconciliation turns changes Odoo made to cards behind the sidecar's back into adjust moves.
 */
defineJob({
  name: 'points-sweep',
  schedule: '*/5 * * * *',
  description: 'Process paid POS orders not processed yet, then reconcile card points with the ledger',
  run: async (trx, _app, now) => {
    const pending = (await trx.raw(`
      SELECT o.id FROM pos_order o
       WHERE o.state IN ('paid', 'done', 'invoiced')
         AND NOT EXISTS (SELECT 1 FROM sidecar_processed_order p WHERE p.pos_order_id = o.id)
       ORDER BY o.id LIMIT ?`, [BATCH])).rows as Array<{ id: number }>;
    let processed = 0;
    let failed = 0;
    for (const { id } of pending) {
      try {
        const out = await trx.transaction((sp) => processPosOrder(sp, id, { source: 'sweep', uid: 1, now }));
        if (out.processed) processed++;
      } catch (err) {
        failed++;
        log.error('sweep: order not processed', { pos_order_id: id, error: (err as Error).message });
      }
    }
    const reconciled = await reconcileCards(trx, { uid: 1, now });
    return { pending: pending.length, processed, failed, opened: reconciled.opened, adjusted: reconciled.adjusted.length };
  },
});

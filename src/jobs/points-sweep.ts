import { defineJob, sumOf } from './registry';
import { processPosOrders } from '../orders/process-pos-order';
import { reconcileCards } from '../ledger/reconcile';
import { readableIds, userEnv } from '../orm/access-path';
import { settleProcessedFallbacks } from '../orders/fallback';
import { welcomeMissedPartners } from '../models/new-partners';

/** Orders processed per run at most: a backlog drains over several runs, each one short. */
const BATCH = 2000;
/** Orders applied together (processPosOrders): one bad order sends only its chunk one by one. */
const CHUNK = 200;

/**
 * Every few minutes, what no hook brought (the sidecar was down, an Odoo without the bridge):
 * paid POS orders are processed in batches (processPosOrders: a bad order is logged and blocks
 * no other), points Odoo's own code gave while the sidecar was unreachable are taken back once
 * (orders/fallback.ts), new partners get their card and referral code; then the reconciliation
 * turns changes Odoo made to cards behind the sidecar's back into adjust moves.
 */
defineJob({
  name: 'points-sweep',
  schedule: '*/5 * * * *',
  description: 'Process paid POS orders and new partners no hook brought, then reconcile card points with the ledger',
  // Every trigger: a second run only finds less to do, and catching up must not wait.
  period: null,
  touched: sumOf('processed', 'settled', 'welcomed', 'opened', 'adjusted'),
  run: async (trx, app, now) => {
    let pending = (await trx.raw(`
      SELECT o.id FROM pos_order o
       WHERE o.state IN ('paid', 'done', 'invoiced')
         AND NOT EXISTS (SELECT 1 FROM sidecar_processed_order p WHERE p.pos_order_id = o.id)
       ORDER BY o.id LIMIT ?`, [BATCH])).rows as Array<{ id: number }>;
    // As the job's user (JOBS_UID): the orders its record rules hide are another job's.
    const uid = app.config.jobsUid;
    const mine = await readableIds(userEnv(app, trx, uid), 'pos.order', pending.map((p) => p.id));
    pending = pending.filter((p) => mine.has(p.id));
    let processed = 0;
    let failed = 0;
    for (let i = 0; i < pending.length; i += CHUNK) {
      const outcomes = await processPosOrders(trx, pending.slice(i, i + CHUNK).map((p) => p.id), { source: 'sweep', uid, now, app });
      processed += outcomes.filter((o) => o.processed).length;
      failed += outcomes.filter((o) => o.error).length;
    }
    // Orders processed before Odoo's own code gave their points too (the till lost the sidecar in between).
    const settled = await settleProcessedFallbacks(trx, now);
    // Partners Odoo created while no hook reached the sidecar get their card and referral code.
    const welcomed = await welcomeMissedPartners(trx, now);
    const reconciled = await reconcileCards(trx, { uid: 1, now });
    return { pending: pending.length, processed, failed, settled, welcomed, opened: reconciled.opened, adjusted: reconciled.adjusted.length };
  },
});

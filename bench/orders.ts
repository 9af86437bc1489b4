/**
 * bench/orders: paid POS orders processed per second (5 lines each, a partner with a card,
 * two active programs) and redeems per second, with p50/p99 latencies, next to the floor
 * measured in the same run (one transaction per order that reads its lines and adds to one
 * card: the least any processing must do).
 *
 *   npm run bench -- orders [--orders 2000] [--redeems 2000] [--concurrency 8] [--batch 100] [--batch-workers 4]
 *
 * The batch path (processPosOrders) runs on a second set of orders: `batch-workers` workers
 * each take the next `batch` orders, one transaction per batch; an order's latency is from
 * being handed to the processor to its batch's commit.
 *
 * Works on a fresh copy of the Odoo 17 dump (test template), dropped at the end.
 */
import { Knex } from 'knex';
import { freshDatabase } from '../test/helpers/pg';
import { openDatabase } from '../src/db/connection';
import { processPosOrder, processPosOrders } from '../src/orders/process-pos-order';
import { writeLedger } from '../src/ledger/ledger';
import { setLogLevel } from '../src/log';
import { ledgerDiscrepancies } from '../src/ledger/audit';
import { findJob } from '../src/jobs/registry';
import { boot } from '../src/server';
import { loadConfig } from '../src/config';
import '../src/jobs/points-sweep';
import { numberArg } from './lib/args';
import { Figures, load } from './lib/load';
// Processing runs the order hooks the service registers: the membership evaluation of the partner.
import '../src/models/membership-order-hook';

const ORDERS = numberArg('orders', 2000);
const REDEEMS = numberArg('redeems', 2000);
const CONCURRENCY = numberArg('concurrency', 8);
const BATCH = numberArg('batch', 100);
const BATCH_WORKERS = numberArg('batch-workers', 4);
const PARTNERS = 200;

/** Orders (or redeems) per second and latency percentiles, as the lines below print them. */
const figures = (f: Figures) => ({ perSecond: Math.round(f.rps), p50: f.p50.toFixed(2), p99: f.p99.toFixed(2) });

/** Two active POS programs (Retail Club, loyalty; Black Friday, promotion), partners with cards, paid orders of 5 lines. */
async function seed(db: Knex, count: number): Promise<{ orderIds: number[]; cardIds: number[] }> {
  await db.raw(`UPDATE loyalty_program SET active = (id IN (15, 7))`);
  const partners = (await db.raw(`
    INSERT INTO res_partner (name, active, company_id, type, is_company, create_date, write_date)
    SELECT 'Bench ' || g, true, 1, 'contact', false, now(), now() FROM generate_series(1, ?) g RETURNING id`, [PARTNERS])).rows.map((r: { id: number }) => r.id);
  const cardIds = (await db.raw(`
    INSERT INTO loyalty_card (program_id, company_id, partner_id, code, points, create_date, write_date)
    SELECT 15, 1, p, 'BENCH-' || p, 0, now(), now() FROM unnest(?::int[]) p RETURNING id`, [partners])).rows.map((r: { id: number }) => r.id);
  const orderIds = (await db.raw(`
    INSERT INTO pos_order (name, session_id, config_id, company_id, partner_id, state, date_order, amount_tax, amount_total, amount_paid, amount_return, pos_reference, create_date, write_date)
    SELECT 'Bench/' || g, 4, 1, 1, (?::int[])[1 + g % ?], 'paid', '2026-11-22 12:00:00', 0, 0, 0, 0, 'Bench ' || g, now(), now()
      FROM generate_series(1, ?) g RETURNING id`, [partners, PARTNERS, count])).rows.map((r: { id: number }) => r.id);
  const products = [5, 19, 27, 6, 16];
  await db.raw(`
    WITH lines AS (
      INSERT INTO pos_order_line (order_id, company_id, name, product_id, qty, price_unit, price_subtotal, price_subtotal_incl, discount, create_date, write_date)
      SELECT o, 1, 'line', p.product_id, 1 + (o + p.n) % 3, t.list_price, (1 + (o + p.n) % 3) * t.list_price, (1 + (o + p.n) % 3) * t.list_price * 1.15, 0, now(), now()
        FROM unnest(?::int[]) o
        CROSS JOIN unnest(?::int[]) WITH ORDINALITY p(product_id, n)
        JOIN product_product pp ON pp.id = p.product_id JOIN product_template t ON t.id = pp.product_tmpl_id
      RETURNING id)
    INSERT INTO account_tax_pos_order_line_rel (pos_order_line_id, account_tax_id) SELECT id, 1 FROM lines`, [orderIds, products]);
  await db.raw(`UPDATE pos_order o SET amount_total = s.t, amount_paid = s.t FROM (SELECT order_id, SUM(price_subtotal_incl) t FROM pos_order_line GROUP BY order_id) s WHERE s.order_id = o.id AND o.id = ANY(?)`, [orderIds]);
  return { orderIds, cardIds };
}

async function main(): Promise<void> {
  setLogLevel('error');
  const database = await freshDatabase('odoo17');
  const db = await openDatabase({ databaseUrl: database.url, dataDir: '' }, CONCURRENCY + 2);
  try {
    const app = await boot(loadConfig({}), db);
    const { orderIds, cardIds } = await seed(db.knex, ORDERS);
    const now = new Date('2026-11-22T12:00:00Z');
    // Warm the loader's definitions cache and the connections.
    await db.knex.transaction((cr) => processPosOrder(cr, orderIds[0], { source: 'api', uid: 2, now, app }));

    const floor = figures(await load(ORDERS - 1, CONCURRENCY, (i) => db.knex.transaction(async (cr) => {
      const lines = (await cr.raw('SELECT SUM(price_subtotal_incl)::float8 AS t FROM pos_order_line WHERE order_id = ?', [orderIds[i + 1]])).rows[0];
      await cr.raw('UPDATE loyalty_card SET points = points + ? WHERE id = ?', [Math.floor(lines.t), cardIds[i % cardIds.length]]);
    })));
    // The floor wrote behind the ledger's back: put the cards back to their moves.
    await db.knex.raw('UPDATE loyalty_card c SET points = (SELECT COALESCE(SUM(points), 0) FROM loyalty_point_move m WHERE m.card_id = c.id) WHERE id = ANY(?)', [cardIds]);

    // Round trips per order: every statement knex sends while the orders run, over the orders.
    let statements = 0;
    const count = () => { statements++; };
    db.knex.on('query', count);
    const orders = figures(await load(ORDERS - 1, CONCURRENCY, (i) =>
      db.knex.transaction((cr) => processPosOrder(cr, orderIds[i + 1], { source: 'api', uid: 2, now, app }))));
    db.knex.off('query', count);
    const singleStatements = statements;

    // The batch path on orders of the same shape, not processed yet.
    const batchIds = (await seed(db.knex, ORDERS)).orderIds.slice(1);
    statements = 0;
    db.knex.on('query', count);
    const batched = figures(await load(batchIds.length, BATCH_WORKERS, (i, n) =>
      db.knex.transaction((cr) => processPosOrders(cr, batchIds.slice(i, i + n), { source: 'api', uid: 2, now, app })), BATCH));
    db.knex.off('query', count);
    const batchStatements = statements;
    const batchProcessed = Number((await db.knex.raw('SELECT count(*) AS n FROM sidecar_processed_order WHERE pos_order_id = ANY(?) AND result IS NOT NULL', [batchIds])).rows[0].n);

    const redeems = figures(await load(REDEEMS, CONCURRENCY, (i) => db.knex.transaction((cr) => writeLedger(cr, {
      cardId: cardIds[i % cardIds.length], entries: [{ kind: 'redeem', points: -1 }], origin: { description: 'bench', reference: 'bench' },
      uid: 2, now, requireFunds: true,
    }))));
    // The sweep: every paid order not yet processed, in one transaction (a savepoint each).
    const sweepJob = findJob('points-sweep')!;
    await seed(db.knex, ORDERS);
    const sweepStarted = process.hrtime.bigint();
    const swept = await db.knex.transaction((trx) => sweepJob.run(trx, app, now)) as { processed: number; failed: number };
    const sweepSeconds = Number(process.hrtime.bigint() - sweepStarted) / 1e9;
    const broken = (await ledgerDiscrepancies(db.knex)).length;
    process.stdout.write([
      `orders: ${ORDERS - 1} paid orders (5 lines, partner with a card, 2 active programs), ${CONCURRENCY} concurrent, PostgreSQL ${db.engine}`,
      `  floor (read lines + add to one card, 1 tx):  ${floor.perSecond} orders/s  p50 ${floor.p50} ms  p99 ${floor.p99} ms`,
      `  processPosOrder (engine + ledger):          ${orders.perSecond} orders/s  p50 ${orders.p50} ms  p99 ${orders.p99} ms`,
      `  statements per processed order:             ${(singleStatements / (ORDERS - 1)).toFixed(1)}`,
      `  processPosOrders (batches of ${BATCH}, ${BATCH_WORKERS} workers): ${batched.perSecond} orders/s  p50 ${batched.p50} ms  p99 ${batched.p99} ms  (handed to the processor -> commit; ${batchProcessed} of ${batchIds.length} processed)`,
      `  statements per batched order:               ${(batchStatements / batchIds.length).toFixed(2)}`,
      `  points-sweep job (1 tx, batches of 200): ${Math.round(swept.processed / sweepSeconds)} orders/s  (${swept.processed} processed, ${swept.failed} failed, ${sweepSeconds.toFixed(2)} s)`,
      `  redeem 1 point (card row lock + lots):      ${redeems.perSecond} redeems/s p50 ${redeems.p50} ms  p99 ${redeems.p99} ms`,
      `  cards whose points differ from their moves or lots: ${broken}`,
    ].join('\n') + '\n');
  } finally {
    await db.close();
    await database.drop();
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack}\n`);
  process.exit(1);
});

/**
 * bench/orders: paid POS orders processed per second (5 lines each, a partner with a card,
 * two active programs) and redeems per second, with p50/p99 latencies, next to the floor
 * measured in the same run (one transaction per order that reads its lines and adds to one
 * card: the least any processing must do).
 *
 *   npm run bench -- orders [--orders 2000] [--redeems 2000] [--concurrency 8]
 *
 * Works on a fresh copy of the Odoo 17 dump (test template), dropped at the end.
 */
import { Knex } from 'knex';
import { freshDatabase } from '../test/helpers/pg';
import { openDatabase } from '../src/db/connection';
import { migrate } from '../src/db/migrate';
import { processPosOrder } from '../src/orders/process-pos-order';
import { writeLedger } from '../src/ledger/ledger';
import { setLogLevel } from '../src/log';
import { ledgerDiscrepancies } from '../src/ledger/audit';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const ORDERS = arg('orders', 2000);
const REDEEMS = arg('redeems', 2000);
const CONCURRENCY = arg('concurrency', 8);
const PARTNERS = 200;

/** Runs `count` jobs with `concurrency` workers; returns throughput and latency percentiles. */
async function measure(count: number, concurrency: number, job: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const i = next++;
      const t = process.hrtime.bigint();
      await job(i);
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return { perSecond: Math.round(count / seconds), p50: pct(0.5).toFixed(2), p99: pct(0.99).toFixed(2) };
}

/** Two active POS programs (Retail Club, loyalty; Black Friday, promotion), partners with cards, paid orders of 5 lines. */
async function seed(db: Knex): Promise<{ orderIds: number[]; cardIds: number[] }> {
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
      FROM generate_series(1, ?) g RETURNING id`, [partners, PARTNERS, ORDERS])).rows.map((r: { id: number }) => r.id);
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
    await migrate(db.knex);
    const { orderIds, cardIds } = await seed(db.knex);
    const now = new Date('2026-11-22T12:00:00Z');
    // Warm the loader's definitions cache and the connections.
    await db.knex.transaction((cr) => processPosOrder(cr, orderIds[0], { source: 'api', uid: 2, now }));

    const floor = await measure(ORDERS - 1, CONCURRENCY, (i) => db.knex.transaction(async (cr) => {
      const lines = (await cr.raw('SELECT SUM(price_subtotal_incl)::float8 AS t FROM pos_order_line WHERE order_id = ?', [orderIds[i + 1]])).rows[0];
      await cr.raw('UPDATE loyalty_card SET points = points + ? WHERE id = ?', [Math.floor(lines.t), cardIds[i % cardIds.length]]);
    }));
    // The floor wrote behind the ledger's back: put the cards back to their moves.
    await db.knex.raw('UPDATE loyalty_card c SET points = (SELECT COALESCE(SUM(points), 0) FROM loyalty_point_move m WHERE m.card_id = c.id) WHERE id = ANY(?)', [cardIds]);

    const orders = await measure(ORDERS - 1, CONCURRENCY, (i) =>
      db.knex.transaction((cr) => processPosOrder(cr, orderIds[i + 1], { source: 'api', uid: 2, now })));
    const redeems = await measure(REDEEMS, CONCURRENCY, (i) => db.knex.transaction((cr) => writeLedger(cr, {
      cardId: cardIds[i % cardIds.length], entries: [{ kind: 'redeem', points: -1 }], origin: { description: 'bench', reference: 'bench' },
      uid: 2, now, requireFunds: true,
    })));
    const broken = (await ledgerDiscrepancies(db.knex)).length;
    process.stdout.write([
      `orders: ${ORDERS - 1} paid orders (5 lines, partner with a card, 2 active programs), ${CONCURRENCY} concurrent, PostgreSQL ${db.engine}`,
      `  floor (read lines + add to one card, 1 tx):  ${floor.perSecond} orders/s  p50 ${floor.p50} ms  p99 ${floor.p99} ms`,
      `  processPosOrder (engine + ledger):          ${orders.perSecond} orders/s  p50 ${orders.p50} ms  p99 ${orders.p99} ms`,
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

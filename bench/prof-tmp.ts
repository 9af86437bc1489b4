import { freshDatabase } from '../test/helpers/pg';
import { openDatabase } from '../src/db/connection';
import { migrate } from '../src/db/migrate';
import { processPosOrders } from '../src/orders/process-pos-order';
import { setLogLevel } from '../src/log';
import '../src/models/membership-order-hook';
async function main() {
  setLogLevel('error');
  const database = await freshDatabase('odoo17');
  const db = await openDatabase({ databaseUrl: database.url, dataDir: '' }, 4);
  await migrate(db.knex);
  await db.knex.raw(`UPDATE loyalty_program SET active = (id IN (15, 7))`);
  const partners = (await db.knex.raw(`INSERT INTO res_partner (name, active, company_id, type, is_company, create_date, write_date) SELECT 'Bench ' || g, true, 1, 'contact', false, now(), now() FROM generate_series(1, 200) g RETURNING id`)).rows.map((r: any) => r.id);
  await db.knex.raw(`INSERT INTO loyalty_card (program_id, company_id, partner_id, code, points, create_date, write_date) SELECT 15, 1, p, 'BENCH-' || p, 0, now(), now() FROM unnest(?::int[]) p`, [partners]);
  const orderIds = (await db.knex.raw(`INSERT INTO pos_order (name, session_id, config_id, company_id, partner_id, state, date_order, amount_tax, amount_total, amount_paid, amount_return, pos_reference, create_date, write_date)
    SELECT 'Bench/' || g, 4, 1, 1, (?::int[])[1 + g % 200], 'paid', '2026-11-22 12:00:00', 0, 10, 0, 0, 'Bench ' || g, now(), now() FROM generate_series(1, 1000) g RETURNING id`, [partners])).rows.map((r: any) => r.id);
  await db.knex.raw(`INSERT INTO pos_order_line (order_id, company_id, name, product_id, qty, price_unit, price_subtotal, price_subtotal_incl, discount, create_date, write_date)
      SELECT o, 1, 'line', p, 1, 10, 10, 11.5, 0, now(), now() FROM unnest(?::int[]) o CROSS JOIN unnest(array[5,19,27,6,16]) p`, [orderIds]);
  const now = new Date('2026-11-22T12:00:00Z');
  const times = new Map<string, number>();
  const starts = new Map<string, [number, string]>();
  db.knex.on('query', (q: any) => starts.set(q.__knexQueryUid, [performance.now(), q.sql.replace(/\s+/g, ' ').slice(0, 70)]));
  db.knex.on('query-response', (_r: any, q: any) => { const s = starts.get(q.__knexQueryUid); if (s) times.set(s[1], (times.get(s[1]) ?? 0) + performance.now() - s[0]); });
  for (let b = 0; b < 10; b++) {
    const t = performance.now();
    await db.knex.transaction((cr) => processPosOrders(cr, orderIds.slice(b * 100, b * 100 + 100), { source: 'api', uid: 2, now }));
    console.log('batch', b, (performance.now() - t).toFixed(1), 'ms');
  }
  for (const [k, v] of [...times].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(v.toFixed(1).padStart(8), k);
  await db.close(); await database.drop();
}
main();

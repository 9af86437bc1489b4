/**
 * `npm run bench -- engine [--previews N] [--warmup W] [--catalogue P]`: order previews (20 lines,
 * 50 active programs) per second with p50/p99, on a fresh copy of engine-db (plus P more
 * products, as a retailer's catalogue has: a preview must not grow with it), all in the same run:
 *   - the pure engine on a loaded catalogue, and in process (loader + engine, as the RPC method runs);
 *   - over JSON-RPC to the sidecar as its own process (as `npm start` runs it), one
 *     keep-alive connection: execute_kw pos.order loyalty_preview, next to common.version() as
 *     the floor of the transport.
 * Every line first runs W calls unmeasured (default 3000): a service in production is warm (its
 * code JIT-compiled, the catalogue and the credential cached). V8 keeps optimising the hot
 * paths for the first few thousand calls, and its compiler threads count in the process's
 * CPU; the first calls of a cold process are a start-up cost, which bench/startup measures.
 */
import { Agent } from 'node:http';
import { Knex, knex } from 'knex';
import { hashPassword } from '../src/auth/password';
import { loadConfig } from '../src/config';
import { boot } from '../src/server';
import { loyaltyPreview } from '../src/models/loyalty/preview';
import { loadCatalog } from '../src/models/loyalty/load';
import { orderContext } from '../src/models/loyalty/context';
import { preview } from '../src/engine/flow';
import { setLogLevel } from '../src/log';
import { freshDatabase } from '../test/helpers/pg';
import { freePort, spawnSidecar } from '../test/helpers/process';
import { copyRows } from '../test/helpers/copy-rows';
import { formatLine, load, post } from './lib/load';
import { numberArg } from './lib/args';
import { withCpuPerCall } from './lib/cpu';

const N = numberArg('previews', 3000);
const WARMUP = numberArg('warmup', 3000);
const CATALOGUE = numberArg('catalogue', 0);

/** One line: W unmeasured calls, then N sequential calls; with `pid`, that process tree's CPU per call. */
async function measure(label: string, fn: () => Promise<unknown>, pid?: number): Promise<void> {
  for (let i = 0; i < WARMUP; i++) await fn();
  if (pid === undefined) {
    process.stdout.write(formatLine(label, 1, await load(N, 1, fn)) + '\n');
    return;
  }
  const [figures, cpu] = await withCpuPerCall(pid, N, () => load(N, 1, fn));
  process.stdout.write(formatLine(label, 1, figures) + `   sidecar CPU ${cpu.toFixed(2)} ms/call\n`);
}

/** 50 automatic programs of every kind, replacing the dump's own. */
async function createPrograms(db: ReturnType<typeof knex>): Promise<void> {
  await db.raw(`update loyalty_program set active = false`);
  for (let i = 0; i < 50; i++) {
    const kind = i % 5;
    const type = ['promotion', 'promotion', 'promotion', 'buy_x_get_y', 'loyalty'][kind];
    const [{ id }] = (await db.raw(
      `insert into loyalty_program (name, program_type, applies_on, trigger, company_id, currency_id, active, sale_ok, pos_ok, limit_usage, sequence, create_date, write_date)
       values (?, ?, ?, 'auto', 1, 1, true, true, true, false, ?, now(), now()) returning id`,
      [JSON.stringify({ en_US: `Bench ${i}` }), type, type === 'loyalty' ? 'both' : 'current', i],
    )).rows;
    await db.raw(
      `insert into loyalty_rule (program_id, company_id, mode, reward_point_mode, reward_point_amount, minimum_qty, minimum_amount, minimum_amount_tax_mode, active, product_category_id, product_domain, create_date, write_date)
       values (?, 1, 'auto', ?, 1, ?, ?, 'incl', true, ?, ?, now(), now())`,
      [id, kind === 4 ? 'money' : kind === 3 ? 'unit' : 'order', kind === 3 ? 2 : 1, 50 * (i % 7), kind === 1 ? 8 : null, kind === 2 ? `[("list_price", ">=", ${i})]` : '[]'],
    );
    await db.raw(
      `insert into loyalty_reward (program_id, company_id, reward_type, discount_mode, discount, discount_applicability, required_points, reward_product_id, reward_product_qty, discount_line_product_id, discount_product_domain, active, create_date, write_date)
       values (?, 1, ?, 'percent', ?, ?, ?, ?, 1, 68, '[]', true, now(), now())`,
      [id, kind === 3 ? 'product' : 'discount', 5 + (i % 10), ['order', 'specific', 'cheapest', 'order', 'order'][kind], kind === 3 ? 2 : kind === 4 ? 100 : 1, kind === 3 ? 61 : null],
    );
  }
}

/** `count` more sellable products (copies of the dump's first), in their own categories' tree. */
async function addProducts(db: ReturnType<typeof knex>, count: number): Promise<void> {
  const [{ id, tmpl }] = (await db.raw(`select p.id, p.product_tmpl_id as tmpl from product_product p order by p.id limit 1`)).rows;
  for (let done = 0; done < count; done += 5000) {
    const n = Math.min(5000, count - done);
    const templates = await copyRows(db, 'product_template', tmpl, Array.from({ length: n }, (_, i) => ({ name: { en_US: `Catalogue ${done + i}` }, default_code: `CAT${done + i}` })));
    await copyRows(db, 'product_product', id, templates.map((t, i) => ({ product_tmpl_id: t, default_code: `CAT${done + i}` })));
  }
  await db.raw('analyze product_template; analyze product_product');
}

(async () => {
  setLogLevel('warn');
  const database = await freshDatabase('engine');
  const db = knex({ client: 'pg', connection: database.url, pool: { min: 1, max: 2 } });
  let stopSidecar = async () => {};
  try {
    await createPrograms(db);
    await addProducts(db, CATALOGUE);
    await db('res_users').where({ login: 'admin' }).update({ password: await hashPassword('admin', 1000) });
    const products: { id: number; price: number }[] = (await db.raw(
      `select p.id, t.list_price as price from product_product p join product_template t on t.id = p.product_tmpl_id
        where p.active and t.sale_ok and t.list_price > 0 order by p.id limit 20`,
    )).rows;
    const order = {
      partner_id: 64, date_order: '2026-11-22',
      lines: products.map((p, i) => ({ product_id: p.id, qty: 1 + (i % 3), price_unit: p.price })),
    };

    const app = await boot({ ...loadConfig({}), databaseUrl: database.url, logLevel: 'warn', jobsEnabled: false });
    try {
      const env = { cr: app.db.knex as unknown as Knex.Transaction, uid: 2, context: {}, app };
      const inProcess = () => loyaltyPreview(env, order);
      const check = await inProcess();
      const { rows: [{ n: catalogueSize }] } = await db.raw('select count(*)::int as n from product_product');
      process.stdout.write(`order: ${order.lines.length} lines, 50 active programs, ${catalogueSize} products, ${check.points.length} programs giving points, ${check.claimable.length} claimable rewards; ${WARMUP} warm-up calls, then ${N} measured, per line\n`);
      const world = await loadCatalog(env, { uid: 2, partnerId: 64, codes: [], productIds: products.map((p) => p.id), cardIds: [], today: order.date_order });
      const engineLines = order.lines.map((l) => ({ productId: l.product_id, qty: l.qty, priceUnit: l.price_unit, discount: 0, taxIds: world.catalog.products.get(l.product_id)!.taxIds }));
      const ctx = orderContext({ date: order.date_order, companyId: world.companyId, parentCompanyId: world.parentCompanyId, partnerId: 64, channel: 'sale' });
      await measure('engine alone (catalogue loaded)', async () => preview(world.catalog, ctx, { lines: engineLines, codes: [], claims: [] }));
      await measure('in process (loader + engine)', inProcess);
    } finally {
      await app.db.close();
    }

    const port = await freePort();
    const sidecar = await spawnSidecar({ DATABASE_URL: database.url, HOST: '127.0.0.1', JOBS: 'off', LOG_LEVEL: 'warn' }, port);
    stopSidecar = () => sidecar.stop();
    const url = `http://127.0.0.1:${port}`;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const dbName = database.name;
    const jsonrpc = (service: string, method: string, args: unknown[]) => async () => {
      const body = JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: 1 });
      const answer = JSON.parse(await post(agent, url, '/jsonrpc', body));
      if (answer.error) throw new Error(JSON.stringify(answer.error));
      return answer;
    };
    await measure('JSON-RPC common.version (floor)', jsonrpc('common', 'version', []), sidecar.child.pid);
    await measure('JSON-RPC loyalty_preview', jsonrpc('object', 'execute_kw', [dbName, 2, 'admin', 'pos.order', 'loyalty_preview', [order]]), sidecar.child.pid);
    agent.destroy();
  } finally {
    await stopSidecar();
    await db.destroy();
    await database.drop();
  }
})().catch((e) => {
  process.stderr.write(String(e?.stack ?? e) + '\n');
  process.exit(1);
});

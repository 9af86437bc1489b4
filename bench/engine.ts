/**
 * `npm run bench -- engine [--previews N]`: order previews (20 lines, 50 active programs) per
 * second with p50/p99: the pure engine on a loaded catalogue, in process (loader + engine, no
 * transaction, as the RPC method runs) and over JSON-RPC (execute_kw pos.order
 * loyalty_preview), beside JSON-RPC common.version() as the floor of the transport, all in the
 * same run on a fresh copy of engine-db.
 */
import { Knex, knex } from 'knex';
import { hashPassword } from '../src/auth/password';
import { loyaltyPreview } from '../src/models/loyalty/preview';
import { loadCatalog } from '../src/models/loyalty/load';
import { orderContext } from '../src/models/loyalty/context';
import { preview } from '../src/engine/flow';
import { startTestSidecar } from '../test/helpers/sidecar';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg('previews', 2000);

function stats(label: string, samples: number[], wallMs: number): void {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  process.stdout.write(`${label.padEnd(34)} ${String(Math.round((samples.length / wallMs) * 1000)).padStart(6)} req/s   p50 ${q(0.5).toFixed(2)} ms   p99 ${q(0.99).toFixed(2)} ms   (n=${samples.length})\n`);
}

async function measure(label: string, n: number, fn: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < Math.min(50, n); i++) await fn(); // warm-up: caches, JIT, connections
  const samples: number[] = [];
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  stats(label, samples, performance.now() - start);
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

(async () => {
  const sidecar = await startTestSidecar('engine');
  const db = knex({ client: 'pg', connection: sidecar.database.url, pool: { min: 1, max: 2 } });
  try {
    await createPrograms(db);
    await db('res_users').where({ login: 'admin' }).update({ password: await hashPassword('admin', 1000) });
    const products: { id: number; price: number }[] = (await db.raw(
      `select p.id, t.list_price as price from product_product p join product_template t on t.id = p.product_tmpl_id
        where p.active and t.sale_ok and t.list_price > 0 order by p.id limit 20`,
    )).rows;
    const order = {
      partner_id: 64, date_order: '2026-11-22',
      lines: products.map((p, i) => ({ product_id: p.id, qty: 1 + (i % 3), price_unit: p.price })),
    };
    const app = sidecar.ctx;
    const env = { cr: app.db.knex as unknown as Knex.Transaction, uid: 2, context: {}, app };
    const inProcess = () => loyaltyPreview(env, order);
    const check = await inProcess();
    process.stdout.write(`order: ${order.lines.length} lines, 50 active programs, ${check.points.length} programs giving points, ${check.claimable.length} claimable rewards\n`);
    const world = await loadCatalog(env, { uid: 2, partnerId: 64, codes: [], productIds: products.map((p) => p.id), cardIds: [], today: order.date_order });
    const engineLines = order.lines.map((l) => ({ productId: l.product_id, qty: l.qty, priceUnit: l.price_unit, discount: 0, taxIds: world.catalog.products.get(l.product_id)!.taxIds }));
    const ctx = orderContext({ date: order.date_order, companyId: world.companyId, parentCompanyId: world.parentCompanyId, partnerId: 64, channel: 'sale' });
    await measure('engine alone (catalogue loaded)', N, async () => preview(world.catalog, ctx, { lines: engineLines, codes: [], claims: [] }));
    await measure('in process (loader + engine)', N, inProcess);
    let id = 0;
    const jsonrpc = (service: string, method: string, args: unknown[]) => fetch(`${sidecar.url}/jsonrpc`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: ++id }),
    }).then(async (r) => {
      const body = (await r.json()) as { error?: unknown };
      if (body.error) throw new Error(JSON.stringify(body.error));
      return body;
    });
    const dbName = sidecar.ctx.dbName;
    await measure('JSON-RPC common.version (floor)', N, () => jsonrpc('common', 'version', []));
    await measure('JSON-RPC loyalty_preview', N, () => jsonrpc('object', 'execute_kw', [dbName, 2, 'admin', 'pos.order', 'loyalty_preview', [order]]));
  } finally {
    await db.destroy();
    await sidecar.close();
  }
})().catch((e) => {
  process.stderr.write(String(e?.stack ?? e) + '\n');
  process.exit(1);
});

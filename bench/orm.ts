/**
 * bench/orm: the ORM behind execute_kw on the scale data set, against a floor.
 *
 *   npm run bench -- orm [--partners 100000] [--orders 1000000] [--requests 2000] [--warmup 2000] [--concurrency 16]
 *
 * Restores a fresh copy of the Odoo 17 dump and fills it with `npm run seed:scale` (or uses
 * BENCH_DATABASE_URL as it is), starts the sidecar and the floor (bench/lib/floor-server.ts:
 * bare node:http + one SQL query through pg) as their own processes, then measures over
 * JSON-RPC, with `concurrency` keep-alive connections:
 *   - search_read of loyalty.card by partner (code, program_id, points);
 *   - read of 80 pos.order (name, date_order, partner_id, amount_total, state, lines);
 *   - read_group of one partner's pos.order by month (amount_total sum);
 * each next to the floor answering the same rows. Prints req/s, p50, p99 and the ratios, and
 * the CPU each server process used per request (steady even when the machine is shared).
 */
import { spawn } from 'node:child_process';
import { Agent } from 'node:http';
import path from 'node:path';
import { Client } from 'pg';
import { freshDatabase, TestDatabase } from '../test/helpers/pg';
import { freePort, spawnServer, spawnSidecar, tsArgs } from '../test/helpers/process';
import { load, post, formatLine } from './lib/load';
import { withCpuPerCall } from './lib/cpu';
import { numberArg } from './lib/args';

const PARTNERS = numberArg('partners', 100000);
const ORDERS = numberArg('orders', 1000000);
const REQUESTS = numberArg('requests', 2000);
/** Unmeasured requests per line first: V8 optimises the hot paths over the first thousands of calls. */
const WARMUP = numberArg('warmup', 2000);
const CONCURRENCY = numberArg('concurrency', 16);

function run(script: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const [command, ...rest] = tsArgs(script, ...args);
    const child = spawn(command, rest, { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} exited with ${code}`))));
  });
}

interface Inputs {
  cardPartners: number[];
  orderWindows: number[][];
  orderPartners: number[];
}

async function pickInputs(url: string): Promise<Inputs> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const cardPartners = (await c.query(`select partner_id as id from loyalty_card where partner_id is not null group by 1 order by md5(partner_id::text) limit 500`)).rows.map((r) => r.id);
    const starts = (await c.query(`select id from pos_order where id % 997 = 0 order by id limit 200`)).rows.map((r) => r.id);
    const orderWindows: number[][] = [];
    for (const s of starts) {
      orderWindows.push((await c.query(`select id from pos_order where id >= $1 order by id limit 80`, [s])).rows.map((r) => r.id));
    }
    const orderPartners = (await c.query(`select partner_id as id from pos_order where partner_id is not null and id % 101 = 0 group by 1 limit 500`)).rows.map((r) => r.id);
    return { cardPartners, orderWindows, orderPartners };
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  let database: TestDatabase | undefined;
  let databaseUrl = process.env.BENCH_DATABASE_URL;
  if (!databaseUrl) {
    database = await freshDatabase('odoo17');
    databaseUrl = database.url;
    const t = Date.now();
    await run(path.join(__dirname, '../seeds/scale.ts'), ['--partners', String(PARTNERS), '--orders', String(ORDERS)], { DATABASE_URL: databaseUrl });
    console.log(`seeded ${PARTNERS} partners and ${ORDERS} orders in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  const dbName = new URL(databaseUrl).pathname.slice(1);
  const inputs = await pickInputs(databaseUrl);
  // the first start on a big database runs the migrations (opening ledger moves, indexes): minutes
  const port = await freePort();
  const sidecarProcess = await spawnSidecar({ DATABASE_URL: databaseUrl, HOST: '127.0.0.1', JOBS: 'off', LOG_LEVEL: 'warn' }, port, 600_000);
  const sidecar = { url: `http://127.0.0.1:${port}` };
  const floorPort = await freePort();
  const floorUrl = `http://127.0.0.1:${floorPort}`;
  const floor = await spawnServer('bench/lib/floor-server.ts', { ...process.env, DATABASE_URL: databaseUrl, POOL: String(CONCURRENCY), PORT: String(floorPort) },
    async () => (await fetch(floorUrl + '/none', { method: 'POST' })).status === 404);
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const rpc = async (model: string, method: string, args: unknown[], kwargs: Record<string, unknown>) => {
    const body = JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service: 'object', method: 'execute_kw', args: [dbName, 2, 'admin', model, method, args, kwargs] }, id: 1 });
    const answer = JSON.parse(await post(agent, sidecar.url, '/jsonrpc', body));
    if (!('result' in answer)) throw new Error(`${model}.${method}: ${JSON.stringify(answer.error?.data?.message ?? answer)}`);
    return answer.result as unknown[];
  };
  const floorCall = async (name: string, params: unknown[]) => JSON.parse(await post(agent, floorUrl, '/' + name, JSON.stringify(params))).result as unknown[];

  const pick = <T>(list: T[], i: number) => list[i % list.length];
  const scenarios: Array<{ label: string; orm: (i: number) => Promise<unknown[]>; floor: (i: number) => Promise<unknown[]> }> = [
    {
      label: 'search_read loyalty.card by partner',
      orm: (i) => rpc('loyalty.card', 'search_read', [[['partner_id', '=', pick(inputs.cardPartners, i)]]], { fields: ['code', 'program_id', 'points'] }),
      floor: (i) => floorCall('cards_by_partner', [pick(inputs.cardPartners, i)]),
    },
    {
      label: 'read 80 pos.order with lines',
      orm: (i) => rpc('pos.order', 'read', [pick(inputs.orderWindows, i)], { fields: ['name', 'date_order', 'partner_id', 'amount_total', 'state', 'lines'] }),
      floor: (i) => floorCall('orders_with_lines', [pick(inputs.orderWindows, i)]),
    },
    {
      label: "read_group pos.order by month (partner)",
      orm: (i) => rpc('pos.order', 'read_group', [[['partner_id', '=', pick(inputs.orderPartners, i)]], ['amount_total:sum'], ['date_order:month']], {}),
      floor: (i) => floorCall('orders_by_month', [pick(inputs.orderPartners, i)]),
    },
  ];
  try {
    console.log(`bench orm: ${REQUESTS} requests per line at ${CONCURRENCY} connections, JSON-RPC execute_kw as admin; floor = node:http + one pg query`);
    for (const s of scenarios) {
      // same rows on both sides before measuring
      for (const i of [0, 1, 2]) {
        const [a, b] = [await s.orm(i), await s.floor(i)];
        if (a.length !== b.length) throw new Error(`${s.label}: the ORM answered ${a.length} rows, the floor ${b.length}`);
      }
      await load(WARMUP, CONCURRENCY, s.floor);
      await load(WARMUP, CONCURRENCY, s.orm);
      const [floorFigures, floorCpu] = await withCpuPerCall(floor.child.pid!, REQUESTS, () => load(REQUESTS, CONCURRENCY, s.floor));
      const [ormFigures, ormCpu] = await withCpuPerCall(sidecarProcess.child.pid!, REQUESTS, () => load(REQUESTS, CONCURRENCY, s.orm));
      console.log(formatLine(`floor: ${s.label}`, CONCURRENCY, floorFigures) + `   node CPU ${floorCpu.toFixed(2)} ms/req`);
      console.log(formatLine(`orm:   ${s.label}`, CONCURRENCY, ormFigures) + `   node CPU ${ormCpu.toFixed(2)} ms/req`);
      console.log(`       throughput ${(100 * ormFigures.rps / floorFigures.rps).toFixed(0)}% of the floor (goal >= 50%), p99 ${(ormFigures.p99 / floorFigures.p99).toFixed(2)}x the floor's (goal <= 2x)`);
    }
  } finally {
    agent.destroy();
    await sidecarProcess.stop();
    await floor.stop();
    await database?.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

/**
 * bench/orm: the ORM behind execute_kw on the scale data set, against a floor.
 *
 *   npm run bench -- orm [--partners 100000] [--orders 1000000] [--requests 2000] [--rounds 6] [--warmup 2000] [--concurrency 16]
 *
 * Restores a fresh copy of the Odoo 17 dump and fills it with `npm run seed:scale` (or uses
 * BENCH_DATABASE_URL as it is), starts the sidecar and the floor (bench/lib/floor-server.ts:
 * bare node:http + one SQL query through pg) as their own processes, then measures over
 * JSON-RPC, with `concurrency` keep-alive connections:
 *   - search_read of loyalty.card by partner (code, program_id, points);
 *   - read of 80 pos.order (name, date_order, partner_id, amount_total, state, lines);
 *   - read_group of one partner's pos.order by month (amount_total sum);
 * each next to the floor answering the same rows.
 *
 * The floor and the ORM are measured in alternating rounds (floor, ORM, ORM, floor, …, `rounds`
 * of `requests` each, after `warmup` unmeasured requests to each): a burst of other work on the
 * shared machine lands on both sides instead of on whichever happened to run then. Each round
 * prints req/s, p50 and p99 with the CPU spent per request by the server process, by
 * PostgreSQL (the postmaster's tree) and by this load generator; the verdict is on the medians
 * of the rounds' ratios.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import path from 'node:path';
import { Client } from 'pg';
import { freshDatabase, TestDatabase } from '../test/helpers/pg';
import { freePort, spawnServer, spawnSidecar, tsArgs } from '../test/helpers/process';
import { load, post, formatLine, Figures } from './lib/load';
import { withCpuPerCallOf } from './lib/cpu';
import { numberArg } from './lib/args';

const PARTNERS = numberArg('partners', 100000);
const ORDERS = numberArg('orders', 1000000);
const REQUESTS = numberArg('requests', 2000);
/** Unmeasured requests per line first: V8 optimises the hot paths over the first thousands of calls. */
const WARMUP = numberArg('warmup', 2000);
const CONCURRENCY = numberArg('concurrency', 16);
/** Measured rounds per side, alternating which side goes first. */
const ROUNDS = numberArg('rounds', 6);

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

/** The PostgreSQL postmaster's pid: the parent of this connection's backend (on this machine). */
async function postmasterPid(url: string): Promise<number> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const backend = (await c.query('select pg_backend_pid() as pid')).rows[0].pid as number;
    const stat = readFileSync(`/proc/${backend}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } finally {
    await c.end();
  }
}

interface Round {
  figures: Figures;
  /** CPU ms per request: server, PostgreSQL, load generator. */
  cpu: number[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const cpuText = (cpu: number[]) => `CPU ms/req: server ${cpu[0].toFixed(2)}, postgres ${cpu[1].toFixed(2)}, client ${cpu[2].toFixed(2)}`;

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
  const postgres = await postmasterPid(databaseUrl);
  try {
    console.log(`bench orm: ${ROUNDS} rounds of ${REQUESTS} requests per side at ${CONCURRENCY} connections, JSON-RPC execute_kw as admin; floor = node:http + one pg query`);
    const summary: string[] = [];
    for (const s of scenarios) {
      // same rows on both sides before measuring
      for (const i of [0, 1, 2]) {
        const [a, b] = [await s.orm(i), await s.floor(i)];
        if (a.length !== b.length) throw new Error(`${s.label}: the ORM answered ${a.length} rows, the floor ${b.length}`);
      }
      await load(WARMUP, CONCURRENCY, s.floor);
      await load(WARMUP, CONCURRENCY, s.orm);
      const sides = { floor: { pid: floor.child.pid!, op: s.floor, rounds: [] as Round[] }, orm: { pid: sidecarProcess.child.pid!, op: s.orm, rounds: [] as Round[] } };
      console.log(s.label);
      for (let r = 0; r < ROUNDS; r++) {
        for (const name of r % 2 ? (['orm', 'floor'] as const) : (['floor', 'orm'] as const)) {
          const side = sides[name];
          const [figures, cpu] = await withCpuPerCallOf([side.pid, postgres], REQUESTS, () => load(REQUESTS, CONCURRENCY, side.op));
          side.rounds.push({ figures, cpu });
          console.log(formatLine(`  round ${r + 1} ${name}`, CONCURRENCY, figures) + `   ${cpuText(cpu)}`);
        }
      }
      const shares = sides.orm.rounds.map((o, r) => o.figures.rps / sides.floor.rounds[r].figures.rps);
      const p99s = sides.orm.rounds.map((o, r) => o.figures.p99 / sides.floor.rounds[r].figures.p99);
      const met = shares.filter((x, r) => x >= 0.5 && p99s[r] <= 2).length;
      const med = (side: Round[], f: (x: Round) => number) => median(side.map(f));
      for (const name of ['floor', 'orm'] as const) {
        const rounds = sides[name].rounds;
        console.log(
          `  median ${name.padEnd(5)} ${med(rounds, (x) => x.figures.rps).toFixed(0).padStart(6)} req/s   p50 ${med(rounds, (x) => x.figures.p50).toFixed(2)} ms   p99 ${med(rounds, (x) => x.figures.p99).toFixed(2)} ms   ` +
            cpuText([0, 1, 2].map((k) => med(rounds, (x) => x.cpu[k]))),
        );
      }
      const line = `${s.label}: throughput ${(100 * median(shares)).toFixed(0)}% of the floor (rounds ${shares.map((x) => (100 * x).toFixed(0)).join('/')}; goal >= 50%), ` +
        `p99 ${median(p99s).toFixed(2)}x the floor's (rounds ${p99s.map((x) => x.toFixed(2)).join('/')}; goal <= 2x); both goals met in ${met} of ${ROUNDS} rounds`;
      console.log('  ' + line);
      summary.push(line);
    }
    console.log('\nsummary (medians of the rounds):\n' + summary.map((l) => '  ' + l).join('\n'));
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

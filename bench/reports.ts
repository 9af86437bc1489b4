/**
 * bench/reports: the report views on the scale data set (issue 15).
 *
 *   npm run bench -- reports [--runs 20] [--baseline-runs 3] [--export-runs 5] [--orders 1000000] [--partners 100000]
 *
 * Uses BENCH_DATABASE_URL as it is (a database `npm run migrate` and `seed:scale ... --rewards
 * 0.3 --order-moves` filled), or restores a fresh copy of the Odoo 17 dump, migrates and seeds
 * it (a few minutes), and drops it after. Then, against a sidecar started as its own process
 * (JSON-RPC execute_kw as admin, REST as admin):
 *   - the report-refresh job's REFRESH MATERIALIZED VIEW CONCURRENTLY of promotion_result, twice;
 *   - read_group of promotion.result by program over a month, and over a year (the goals:
 *     < 1 s and < 3 s), `runs` times each over different months / years;
 *   - the baseline in the same run: the same grouping on the plain view promotion_result_live
 *     (what promotion.result would cost without materializing), `baseline-runs` times;
 *   - an export: GET /api/v1/reports/promotion-result-details of a month as CSV, and as xlsx.
 * Prints p50 / p95 (and the row counts, checked against SQL) of each.
 */
import { Agent } from 'node:http';
import { Client } from 'pg';
import { freshDatabase, TestDatabase } from '../test/helpers/pg';
import { freePort, runScript, spawnSidecar } from '../test/helpers/process';
import { post } from './lib/load';
import { numberArg } from './lib/args';

const RUNS = numberArg('runs', 20);
const BASELINE_RUNS = numberArg('baseline-runs', 3);
const EXPORT_RUNS = numberArg('export-runs', 5);
const ORDERS = numberArg('orders', 1000000);
const PARTNERS = numberArg('partners', 100000);

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
const line = (label: string, ms: number[], extra = '') =>
  `${label.padEnd(58)} p50 ${quantile(ms, 0.5).toFixed(1).padStart(8)} ms   p95 ${quantile(ms, 0.95).toFixed(1).padStart(8)} ms   (${ms.length} runs)${extra}`;

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = process.hrtime.bigint();
  const out = await fn();
  return [Number(process.hrtime.bigint() - t) / 1e6, out];
}

/** [first, last] days of the n months before `end`'s month, newest first. */
function months(end: string, n: number): Array<[string, string]> {
  const d = new Date(end + 'T00:00:00Z');
  const out: Array<[string, string]> = [];
  for (let i = 1; i <= n; i++) {
    const first = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i, 1));
    const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0));
    out.push([first.toISOString().slice(0, 10), last.toISOString().slice(0, 10)]);
  }
  return out;
}

/** 365-day windows ending on `end` and on the days before it, one per run. */
function years(end: string, n: number): Array<[string, string]> {
  const e = Date.parse(end + 'T00:00:00Z');
  return Array.from({ length: n }, (_, i) => {
    const last = e - i * 7 * 86_400_000;
    return [new Date(last - 364 * 86_400_000).toISOString().slice(0, 10), new Date(last).toISOString().slice(0, 10)];
  });
}

async function main(): Promise<void> {
  let database: TestDatabase | undefined;
  let url = process.env.BENCH_DATABASE_URL;
  if (!url) {
    database = await freshDatabase('odoo17');
    url = database.url;
    const env = { DATABASE_URL: url };
    const migrated = await runScript('src/cli/migrate.ts', [], env, 1_800_000);
    if (migrated.code !== 0) throw new Error(`migrate: ${migrated.stderr}`);
    const seeded = await runScript('seeds/scale.ts', ['--partners', String(PARTNERS), '--orders', String(ORDERS), '--lines', '3',
      '--rewards', '0.3', '--order-moves', '--moves', String(ORDERS)], env, 3_600_000);
    if (seeded.code !== 0) throw new Error(`seed:scale: ${seeded.stderr}`);
    process.stdout.write(seeded.stdout);
  }
  const dbName = new URL(url).pathname.slice(1);
  const pg = new Client({ connectionString: url });
  await pg.connect();
  const port = await freePort();
  const sidecar = await spawnSidecar({ DATABASE_URL: url, HOST: '127.0.0.1', JOBS: 'off', LOG_LEVEL: 'warn' }, port, 1_800_000);
  const base = `http://127.0.0.1:${port}`;
  const agent = new Agent({ keepAlive: true, maxSockets: 2 });
  try {
    const counts = (await pg.query(`select (select count(*) from pos_order)::int as orders,
                                            (select count(*) from pos_order_line where reward_id is not null)::int as reward_lines,
                                            (select count(*) from loyalty_point_move)::int as moves,
                                            (select max(date_order)::date::text from pos_order) as last_day`)).rows[0];
    console.log(`bench reports on ${dbName}: ${counts.orders} orders, ${counts.reward_lines} reward lines, ${counts.moves} point moves, last order day ${counts.last_day}`);

    // What the report-refresh job runs (src/reports/refresh.ts), timed here rather than through
    // `npm run job`: the job runs once per hour, and a second run in the hour is skipped.
    const refreshMs: number[] = [];
    for (let i = 0; i < 2; i++) refreshMs.push((await timed(() => pg.query('refresh materialized view concurrently promotion_result')))[0]);
    const rows = (await pg.query('select count(*)::int as n, max(refreshed_at)::text as at from promotion_result')).rows[0];
    console.log(line('refresh materialized view concurrently promotion_result', refreshMs, `  ${rows.n} rows, refreshed_at ${rows.at}`));

    const rpc = async (model: string, method: string, args: unknown[], kwargs: Record<string, unknown>) => {
      const body = JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service: 'object', method: 'execute_kw', args: [dbName, 2, 'admin', model, method, args, kwargs] }, id: 1 });
      const answer = JSON.parse(await post(agent, base, '/jsonrpc', body));
      if (!('result' in answer)) throw new Error(`${model}.${method}: ${JSON.stringify(answer.error?.data?.message ?? answer)}`);
      return answer.result as Array<Record<string, unknown>>;
    };
    const byProgram = (range: [string, string]) =>
      rpc('promotion.result', 'read_group', [[['date', '>=', range[0]], ['date', '<=', range[1]]],
        ['order_count', 'customer_count', 'revenue', 'discount_amount', 'points_issued', 'points_redeemed', 'points_expired', 'new_cards'], ['program_id']], { lazy: false });
    // The same grouping as the read_group's, in SQL, on the plain view: the cost without the materialized view.
    const baseline = (range: [string, string]) => pg.query(`
      select program_id, count(*) as n, sum(order_count) as order_count, sum(customer_count) as customer_count, sum(revenue) as revenue,
             sum(discount_amount) as discount_amount, sum(points_issued) as points_issued, sum(points_redeemed) as points_redeemed,
             sum(points_expired) as points_expired, sum(new_cards) as new_cards
        from promotion_result_live where date >= $1 and date <= $2 group by program_id order by program_id`, range);

    const end = counts.last_day as string;
    for (const [label, ranges] of [['month', months(end, Math.max(RUNS, 1))], ['year', years(end, Math.max(RUNS, 1))]] as const) {
      await byProgram(ranges[0]); // warm: the registry, the plan cache
      const ms: number[] = [];
      let groups = 0;
      for (let i = 0; i < RUNS; i++) {
        const [t, answer] = await timed(() => byProgram(ranges[i % ranges.length]));
        ms.push(t);
        groups = answer.length;
      }
      console.log(line(`read_group promotion.result by program, a ${label}`, ms, `  ${groups} groups; goal < ${label === 'month' ? 1000 : 3000} ms`));
      const base: number[] = [];
      for (let i = 0; i < BASELINE_RUNS; i++) {
        const range = ranges[i % ranges.length];
        const [t, answer] = await timed(() => baseline(range));
        base.push(t);
        // The same figures as the ORM's, where the materialized view is fresh.
        const orm = await byProgram(range);
        const sum = (xs: number[]) => Math.round(xs.reduce((s, x) => s + x, 0) * 100) / 100;
        const viaOrm = sum(orm.map((g) => Number(g.revenue)));
        const viaView = sum(answer.rows.map((r) => Number(r.revenue)));
        if (i === 0) console.log(`  check ${range[0]}..${range[1]}: revenue ${viaOrm} (promotion.result) vs ${viaView} (promotion_result_live)`);
      }
      console.log(line(`  baseline: the same on the plain view promotion_result_live`, base));
    }

    const [from, to] = months(end, 1)[0];
    const expected = (await pg.query('select count(*)::int as n from promotion_result_details where date between $1 and $2', [from, to])).rows[0].n;
    for (const format of ['csv', 'xlsx'] as const) {
      const ms: number[] = [];
      let bytes = 0;
      for (let i = 0; i < EXPORT_RUNS; i++) {
        const [t, body] = await timed(async () => {
          const res = await fetch(`${base}/api/v1/reports/promotion-result-details?from=${from}&to=${to}&format=${format}`,
            { headers: { authorization: 'Basic ' + Buffer.from('admin:admin').toString('base64') } });
          if (res.status !== 200) throw new Error(`export ${format}: ${res.status} ${await res.text()}`);
          return Buffer.from(await res.arrayBuffer());
        });
        ms.push(t);
        bytes = body.length;
        if (format === 'csv' && i === 0) {
          const lines = body.toString('utf8').trimEnd().split('\r\n').length - 1;
          if (lines !== expected) throw new Error(`csv export: ${lines} rows, the view has ${expected}`);
        }
      }
      console.log(line(`export promotion-result-details ${from}..${to} as ${format}`, ms, `  ${expected} rows, ${(bytes / 1e6).toFixed(1)} MB`));
    }
  } finally {
    agent.destroy();
    await pg.end();
    await sidecar.stop();
    await database?.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

/**
 * `npm run bench -- membership [--partners N] [--orders M] [--keep | --reuse NAME | --fresh-from NAME_seed]
 *                              [--slices S] [--trace] [--explain]`
 *
 * Full set-based evaluation of membership tiers (the `membership` job) over N partners with M
 * POS orders from the scale generator, in a dedicated database copied from the Odoo 17 dump
 * and dropped afterwards. Prints, from the same run:
 *   - the floor: one bare aggregate of the year's spend per partner (what any evaluation must read);
 *   - the first full evaluation (opens every tier line, writes every partner's columns);
 *   - a second full evaluation (steady state: decides everything again, writes nothing);
 *   - an hourly changed-partners run after 1,000 new orders.
 * Goal (issue 7): the full evaluation of 1M partners with 10M orders under 60 s.
 * --keep leaves the database (renamed NAME = sidecar_bench_membership_<partners>) for
 * --reuse NAME, which skips the generation and measures again (lines granted by the kept
 * run are removed first, so the first evaluation starts from the same state).
 * --keep also saves the database as generated, before any evaluation, as NAME_seed; --fresh-from
 * NAME_seed measures on a fresh copy of it (dropped afterwards), so the first evaluation is the
 * real back-fill: res_partner pages as full as the generator left them, no dead rows.
 * --slices: the full runs go over S partner-id ranges side by side (the job's 2 by default;
 * 1 = one transaction). --trace prints each slow statement's time; --explain its plan.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { knex, Knex } from 'knex';
import { migrate } from '../src/db/migrate';
import { evaluateChanged } from '../src/models/membership-batch';
import { evaluateAllSplit } from '../src/models/membership-backfill';
import { freshDatabase, urlFor } from '../test/helpers/pg';
import { tsArgs } from '../test/helpers/process';
import { admin } from './lib/admin-db';

const { values } = parseArgs({
  options: {
    partners: { type: 'string', default: '1000000' },
    orders: { type: 'string', default: '10000000' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'string' },
    'fresh-from': { type: 'string' },
    trace: { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
    slices: { type: 'string', default: '2' },
  },
});
const partners = Number(values.partners);
const orders = Number(values.orders);
const slices = Number(values.slices);

const secs = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = process.hrtime.bigint();
  const result = await fn();
  process.stdout.write(`${label.padEnd(44)} ${secs(t0).toFixed(2).padStart(8)} s  ${result === undefined ? '' : JSON.stringify(result)}\n`);
  return result;
}

/** The database to measure on: a kept one (--reuse), or a fresh copy of the dump filled by seed:scale. */
interface BenchDatabase {
  url: string;
  name: string;
  done: () => Promise<void>;
  /** --keep: the generated database still has its test name and is renamed to `name` first. */
  renameFrom?: string;
}

async function benchDatabase(): Promise<BenchDatabase> {
  if (values.reuse) {
    const url = urlFor(values.reuse);
    return { url, name: values.reuse, done: async () => undefined };
  }
  const template = values['fresh-from'];
  if (template) {
    const name = `${template}_copy`;
    await admin((a) => a.raw(`drop database if exists "${name}" with (force)`));
    await admin((a) => a.raw(`create database "${name}" template "${template}"`));
    return { url: urlFor(name), name, done: () => admin((a) => a.raw(`drop database "${name}" with (force)`)) };
  }
  const database = await freshDatabase('odoo17');
  const [command, ...args] = tsArgs('seeds/scale.ts', '--partners', String(partners), '--orders', String(orders), '--lines', '0', '--cards', '0');
  const seed = spawnSync(
    command, args,
    { env: { ...process.env, DATABASE_URL: database.url }, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' },
  );
  if (seed.status !== 0) {
    await database.drop();
    throw new Error('seed:scale failed');
  }
  process.stdout.write(`seed:scale: ${seed.stdout.trim().split('\n').pop()}\n`);
  if (!values.keep) return { url: database.url, name: database.name, done: () => database.drop() };
  const name = `sidecar_bench_membership_${partners}`;
  return { url: urlFor(name), name, done: async () => undefined, renameFrom: database.name };
}

async function main(): Promise<void> {
  const target = await benchDatabase();
  if (target.renameFrom) await saveGenerated(target.renameFrom, target.name);
  process.stdout.write(`database ${target.name}\n`);
  let db: Knex | undefined;
  try {
    db = knex({ client: 'pg', connection: target.url, pool: { min: 0, max: slices + 1, ...(values.explain ? { afterCreate: explainSlow } : {}) } });
    if (values.trace) traceStatements(db);
    await migrate(db);
    // A reused database starts again from no granted lines.
    await db.raw('delete from membership_membership_line where member_transaction_amount_total is not null');
    await db.raw(
      `update res_partner set membership_state = 'none', membership_start = null, membership_stop = null, membership_cancel = null
        where membership_state = 'free' and not coalesce(free_member, false)
          and not exists (select 1 from membership_membership_line l where l.partner = res_partner.id)`,
    );
    await db.raw(`delete from pos_order where name like 'bench/%'`);
    await db.raw('truncate sidecar_membership_run');
    const counts = (await db.raw(`select (select count(*) from res_partner)::int as partners, (select count(*) from pos_order)::int as orders`)).rows[0];
    process.stdout.write(`${counts.partners.toLocaleString('en-US')} partners, ${counts.orders.toLocaleString('en-US')} orders\n`);
    // Silver / Gold / Platinum: 500 / 2,000 / 5,000 over a year, sold without a period.
    const tiers: Array<[number, number, number]> = [[64, 1, 500], [65, 2, 2000], [66, 3, 5000]];
    for (const [product, rank, min] of tiers) {
      await db('product_template')
        .whereIn('id', db('product_product').where({ id: product }).select('product_tmpl_id'))
        .update({ membership_rank: rank, membership_min_amount: min, membership_window_days: 365, membership_date_from: null, membership_date_to: null });
    }
    await db.raw('vacuum analyze pos_order');
    await db.raw('vacuum analyze res_partner');
    await db.raw('vacuum analyze membership_membership_line');
    const now = new Date();
    const clock = { now, policy: 'period_end' as const, uid: 1 };

    await timed('floor: bare spend aggregate (one scan)', async () => {
      const r = await db!.raw(
        `select count(*) as partners from (select partner_id, sum(amount_total) from pos_order
          where state in ('paid', 'done', 'invoiced') and partner_id is not null and date_order > now() - interval '365 days'
          group by partner_id) s`,
      );
      return { partners: Number(r.rows[0].partners) };
    });
    const full = () => db!.transaction((cr) => evaluateAllSplit(cr, db!, clock, slices));
    await timed(`full evaluation, first run (${slices} ranges)`, full);
    await timed(`full evaluation, steady state (${slices} ranges)`, full);
    const since = new Date(now.getTime());
    const later = { ...clock, now: new Date(now.getTime() + 3_600_000) };
    await db.raw(
      `insert into pos_order (name, partner_id, company_id, session_id, config_id, state, date_order, amount_tax, amount_total,
                              amount_paid, amount_return, create_date, write_date)
       select 'bench/' || g, (select min(id) from res_partner) + (g * 997) % ?, 1, s.id, s.config_id, 'paid', ?::timestamp, 0, 800, 800, 0, ?::timestamp, ?::timestamp
         from generate_series(1, 1000) g, (select id, config_id from pos_session order by id desc limit 1) s`,
      [counts.partners, ts(later.now, -60), ts(later.now, -60), ts(later.now, -60)],
    );
    await timed('changed-partners run after 1,000 new orders', () => db!.transaction((cr) => evaluateChanged(cr, later, since)));
    const states = await db.raw(`select membership_state, count(*)::int as n from res_partner group by 1 order by 2 desc`);
    process.stdout.write(`partner states: ${states.rows.map((r: { membership_state: string; n: number }) => `${r.membership_state}=${r.n}`).join(' ')}\n`);
  } finally {
    await db?.destroy();
    await target.done();
    if (values.keep || values.reuse) process.stdout.write(`kept ${target.name} (--reuse ${target.name}; drop it when done)\n`);
  }
}

/** --trace: every statement slower than 50 ms, with its time, as it ends (where the seconds go). */
function traceStatements(db: Knex): void {
  const started = new Map<string, bigint>();
  db.on('query', (q: { __knexQueryUid: string }) => started.set(q.__knexQueryUid, process.hrtime.bigint()));
  db.on('query-response', (_r: unknown, q: { __knexQueryUid: string; sql: string }) => {
    const t0 = started.get(q.__knexQueryUid);
    started.delete(q.__knexQueryUid);
    if (t0 === undefined || secs(t0) < 0.05) return;
    process.stdout.write(`    ${secs(t0).toFixed(2).padStart(7)} s  ${q.sql.replace(/\s+/g, ' ').slice(0, 110)}\n`);
  });
}

/**
 * --explain: each connection prints the EXPLAIN ANALYZE (triggers included) of every statement
 * over 250 ms, through auto_explain raised to NOTICE (needs a superuser, as the bench's server has).
 */
function explainSlow(conn: { query: (sql: string, cb: (err: Error | null) => void) => void; on: (e: 'notice', f: (n: { message: string }) => void) => void }, done: (err: Error | null, conn: unknown) => void): void {
  conn.on('notice', (n) => process.stdout.write(n.message.replace(/^/gm, '      | ') + '\n'));
  conn.query(
    `load 'auto_explain'; set auto_explain.log_min_duration = '250ms'; set auto_explain.log_analyze = on;
     set auto_explain.log_triggers = on; set auto_explain.log_buffers = on; set auto_explain.log_level = notice`,
    (err) => done(err, conn),
  );
}

/** --keep: the generated database becomes `to`, and `to`_seed keeps it as generated for --fresh-from. */
async function saveGenerated(from: string, to: string): Promise<void> {
  await admin(async (a) => {
    await a.raw(`drop database if exists "${to}" with (force)`);
    await a.raw(`alter database "${from}" rename to "${to}"`);
    await a.raw(`drop database if exists "${to}_seed" with (force)`);
    await a.raw(`create database "${to}_seed" template "${to}"`);
  });
  process.stdout.write(`saved ${to}_seed, the database as generated (--fresh-from ${to}_seed)\n`);
}


const ts = (d: Date, offsetSeconds: number) => new Date(d.getTime() + offsetSeconds * 1000).toISOString().replace('T', ' ').replace('Z', '');

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack}\n`);
  process.exit(1);
});

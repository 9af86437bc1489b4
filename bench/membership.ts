/**
 * `npm run bench -- membership [--partners N] [--orders M] [--keep | --reuse NAME]`
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
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { knex, Knex } from 'knex';
import { migrate } from '../src/db/migrate';
import { evaluateAll, evaluateChanged } from '../src/models/membership-batch';
import { freshDatabase, urlFor } from '../test/helpers/pg';
import { tsArgs } from '../test/helpers/process';

const { values } = parseArgs({
  options: {
    partners: { type: 'string', default: '1000000' },
    orders: { type: 'string', default: '10000000' },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'string' },
  },
});
const partners = Number(values.partners);
const orders = Number(values.orders);

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
  if (target.renameFrom) await renameDatabase(target.renameFrom, target.name);
  process.stdout.write(`database ${target.name}\n`);
  let db: Knex | undefined;
  try {
    db = knex({ client: 'pg', connection: target.url, pool: { min: 0, max: 2 } });
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
    await timed('full evaluation, first run', () => db!.transaction((cr) => evaluateAll(cr, clock)));
    await timed('full evaluation, steady state', () => db!.transaction((cr) => evaluateAll(cr, clock)));
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

async function renameDatabase(from: string, to: string): Promise<void> {
  const admin = knex({ client: 'pg', connection: urlFor('postgres'), pool: { min: 0, max: 1 } });
  try {
    await admin.raw(`drop database if exists "${to}" with (force)`);
    await admin.raw(`alter database "${from}" rename to "${to}"`);
  } finally {
    await admin.destroy();
  }
}

const ts = (d: Date, offsetSeconds: number) => new Date(d.getTime() + offsetSeconds * 1000).toISOString().replace('T', ' ').replace('Z', '');

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack}\n`);
  process.exit(1);
});

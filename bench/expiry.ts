/**
 * `npm run bench -- expiry [--moves K] [--partners N] [--backlog-days D] [--keep | --fresh-from NAME]`
 *
 * The daily expiry job over a ledger of K point moves (seed:scale --moves, default 10M) on the
 * cards of N customers (default 1M, one card each), in a copy of the Odoo 17 dump, through the
 * real job (runJob: advisory lock, batches of cards committed on their own, progress lines).
 * Prints, from the same run:
 *   - the floor: the bare read any expiry must do (every due lot's card and points, one scan of
 *     the due-lots index);
 *   - the daily run (the lots whose last valid day was yesterday: one day of the two years);
 *   - a backlog run D days later (default 30: a job that did not run for a month);
 *   - the ledger audit afterwards (points = sum(moves), open lots = balance, on every card).
 * Goal (issue 16): the daily run under 60 s with 10M moves.
 * --keep saves the seeded database as sidecar_bench_expiry_<K>_seed; --fresh-from NAME measures
 * on a fresh copy of it (skipping the seeding).
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { knex, Knex } from 'knex';
import { loadConfig } from '../src/config';
import { boot } from '../src/server';
import { runJob } from '../src/jobs/scheduler';
import { ledgerDiscrepancies } from '../src/ledger/audit';
import { migrate } from '../src/db/migrate';
import { setLogLevel } from '../src/log';
import { freshDatabase, urlFor } from '../test/helpers/pg';
import { tsArgs } from '../test/helpers/process';
import { admin } from './lib/admin-db';

const { values } = parseArgs({
  options: {
    moves: { type: 'string', default: '10000000' },
    partners: { type: 'string', default: '1000000' },
    'backlog-days': { type: 'string', default: '30' },
    keep: { type: 'boolean', default: false },
    'fresh-from': { type: 'string' },
  },
});
const moves = Number(values.moves);
const backlogDays = Number(values['backlog-days']);
const secs = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const line = (label: string, s: number, extra: unknown) => process.stdout.write(`${label.padEnd(52)} ${s.toFixed(2).padStart(8)} s  ${JSON.stringify(extra)}\n`);


/** A fresh database: a copy of --fresh-from, or the dump seeded with the ledger. */
async function benchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const template = values['fresh-from'];
  if (template) {
    const name = `${template}_copy`;
    await admin(async (a) => {
      await a.raw(`drop database if exists "${name}" with (force)`);
      await a.raw(`create database "${name}" template "${template}"`);
    });
    return { url: urlFor(name), drop: () => admin((a) => a.raw(`drop database "${name}" with (force)`)) };
  }
  const database = await freshDatabase('odoo17');
  const db = knex({ client: 'pg', connection: database.url, pool: { min: 0, max: 1 } });
  await migrate(db);
  await db.destroy();
  const t0 = process.hrtime.bigint();
  const [command, ...args] = tsArgs('seeds/scale.ts', '--partners', values.partners!, '--orders', '0', '--cards', '1', '--moves', String(moves));
  const seed = spawnSync(command, args, { env: { ...process.env, DATABASE_URL: database.url }, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (seed.status !== 0) {
    await database.drop();
    throw new Error('seed:scale failed');
  }
  process.stdout.write(seed.stdout.split('\n').filter((l) => /loyalty_point_move|loyalty_card|done in/.test(l)).map((l) => `  seed:scale: ${l}`).join('\n') + '\n');
  line('seed:scale (partners, cards, ledger)', secs(t0), {});
  if (values.keep) {
    const saved = `sidecar_bench_expiry_${moves}_seed`;
    await admin(async (a) => {
      await a.raw(`drop database if exists "${saved}" with (force)`);
      await a.raw(`create database "${saved}" template "${database.name}"`);
    });
    process.stdout.write(`saved ${saved} (--fresh-from ${saved})\n`);
  }
  return { url: database.url, drop: () => database.drop() };
}

async function main(): Promise<void> {
  setLogLevel('warn');
  const target = await benchDatabase();
  const app = await boot({ ...loadConfig({}), databaseUrl: target.url, logLevel: 'silent' });
  const db = app.db.knex;
  try {
    await db.raw('vacuum analyze loyalty_point_move');
    await db.raw('vacuum analyze loyalty_card');
    const counts = (await db.raw(`select (select count(*) from loyalty_point_move)::int as moves, (select count(*) from loyalty_card)::int as cards`)).rows[0];
    process.stdout.write(`${counts.moves.toLocaleString('en-US')} point moves on ${counts.cards.toLocaleString('en-US')} cards\n`);
    const today = new Date();
    for (const [label, at] of [['daily run (lots due yesterday)', today], [`backlog run (${backlogDays} days of lots due)`, new Date(today.getTime() + backlogDays * 86_400_000)]] as const) {
      const day = at.toISOString().slice(0, 10);
      let t0 = process.hrtime.bigint();
      const floor = (await db.raw(
        `select count(distinct card_id)::int as cards, count(*)::int as lots, coalesce(sum(remaining), 0)::float8 as points
           from loyalty_point_move where remaining > 0 and expiration_date < ?::date`, [day])).rows[0];
      line(`floor: read the due lots (${day})`, secs(t0), floor);
      t0 = process.hrtime.bigint();
      const outcome = await runJob(app, 'expire-points', at);
      line(`expire-points job, ${label}`, secs(t0), outcome.ran ? outcome.result : outcome);
    }
    const t0 = process.hrtime.bigint();
    const wrong = await ledgerDiscrepancies(db);
    line('ledger audit (every card)', secs(t0), { discrepancies: wrong.length });
  } finally {
    await app.db.close();
    await target.drop();
  }
}

main().catch((err) => {
  process.stderr.write(`bench expiry failed: ${(err as Error).stack}\n`);
  process.exit(1);
});

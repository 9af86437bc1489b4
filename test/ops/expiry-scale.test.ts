/**
 * The daily expiry over a ledger that seed:scale --moves wrote (the benchmark's data, small):
 * the real `npm run job -- expire-points` empties exactly the lots past their day, with one
 * expire move each drawn from its lot, keeps points = sum(moves) and open lots = balance on
 * every card, commits batch by batch, and reports its progress in the log while it runs.
 */
import { expect } from 'chai';
import { knex, Knex } from 'knex';
import { migrate } from '../../src/db/migrate';
import { EXPIRY_BATCH } from '../../src/ledger/expire';
import { expectLedgerBalanced } from '../helpers/ledger';
import { freshDatabase, serverReachable, TestDatabase } from '../helpers/pg';
import { runScript } from '../helpers/process';

describe('ops: the daily expiry over a seeded ledger', function () {
  this.timeout(300_000);
  let database: TestDatabase;
  let db: Knex;
  const end = '2026-06-30';

  before(async function () {
    if (!(await serverReachable())) this.skip();
    database = await freshDatabase('odoo17');
    db = knex({ client: 'pg', connection: database.url, pool: { min: 0, max: 2 } });
    await migrate(db);
    const seeded = await runScript('seeds/scale.ts', ['--partners', String(3 * EXPIRY_BATCH), '--orders', '0', '--cards', '1', '--moves', '60000', '--end', end], { DATABASE_URL: database.url });
    expect(seeded.code, seeded.stderr).to.equal(0);
    expect(seeded.stdout).to.match(/loyalty_point_move/);
  });

  after(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('seed:scale --moves leaves a ledger the audit finds in step', async () => {
    const n = Number((await db.raw(`select count(*) as n from loyalty_point_move where reason = 'seed:scale'`)).rows[0].n);
    expect(n).to.be.within(55_000, 65_000);
    await expectLedgerBalanced(db);
  });

  it('expires every lot past its day half a year on, in batches, with progress lines, and nothing else', async () => {
    // Half a year after --end: half a year of lots is due (each card's, across several batches).
    const now = '2027-01-01T00:05:00Z';
    const due = (await db.raw(`select id, card_id, remaining::float8 as remaining from loyalty_point_move where remaining > 0 and expiration_date < '2027-01-01' order by id`)).rows as Array<{ id: number; card_id: number; remaining: number }>;
    const dueCards = new Set(due.map((d) => d.card_id));
    expect(dueCards.size).to.be.greaterThan(EXPIRY_BATCH);
    const before = Number((await db.raw('select coalesce(max(id), 0) as n from loyalty_point_move')).rows[0].n);
    const openBefore = Number((await db.raw(`select sum(remaining)::float8 as n from loyalty_point_move where remaining > 0`)).rows[0].n);

    const run = await runScript('src/cli/job.ts', ['expire-points', '--at', now], { DATABASE_URL: database.url, LOG_LEVEL: 'info' }, 240_000);
    expect(run.code, run.stderr).to.equal(0);
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    const progress = lines.filter((l) => l.msg === 'job expire-points progress');
    expect(progress.length).to.be.at.least(1);
    expect(progress[progress.length - 1]).to.deep.include({ done: dueCards.size, total: dueCards.size, pct: 100 });
    expect(progress.every((l) => String(l.req_id).startsWith('job:expire-points:'))).to.equal(true);
    expect(JSON.parse(run.stdout)).to.deep.include({ ran: true });

    const expired = (await db.raw(`select lot_id, card_id, points::float8 as points, kind, remaining::float8 as remaining from loyalty_point_move where id > ? order by id`, [before])).rows as Array<{ lot_id: number; card_id: number; points: number; kind: string; remaining: number }>;
    expect(expired.map((m) => [m.lot_id, m.card_id, -m.points, m.kind, m.remaining])).to.have.deep.members(due.map((d) => [d.id, d.card_id, d.remaining, 'expire', 0]));
    expect(Number((await db.raw(`select count(*) as n from loyalty_point_move where remaining > 0 and expiration_date < '2027-01-01'`)).rows[0].n)).to.equal(0);
    const openAfter = Number((await db.raw(`select sum(remaining)::float8 as n from loyalty_point_move where remaining > 0`)).rows[0].n);
    expect(openAfter).to.be.closeTo(openBefore - due.reduce((s, d) => s + d.remaining, 0), 1e-6);
    const history = Number((await db.raw(`select count(*) as n from loyalty_point_history where description like 'Points expired (valid until %'`)).rows[0].n);
    expect(history).to.equal(dueCards.size);
    await expectLedgerBalanced(db);
  });
});

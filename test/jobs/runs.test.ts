/**
 * Scheduled jobs run their work once per period whoever triggers them (node-cron on any
 * replica, Odoo's ir.cron through the signed job hook, `npm run job`), and every trigger
 * leaves a row in sidecar_job_run.
 */
import { expect } from 'chai';
import { runJob } from '../../src/jobs/scheduler';
import { defineJob, findJob, forgetJob } from '../../src/jobs/registry';
import { periodKey } from '../../src/jobs/runs';
import { signHook } from '../../src/api/hook-signature';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';

const SECRET = 'jobs-test-secret-0123456789';

// A job whose work is visible: it counts its runs in a table of its own. Defined only while
// this suite runs, so other suites that walk every job (test/modes) never meet it.
let failNext = false;
const defineCounter = () => defineJob({
  name: 'test-counter',
  schedule: '0 0 1 1 *',
  description: 'test: counts its runs',
  period: 'day',
  touched: (r) => r.counted as number,
  async run(trx) {
    await trx.raw('create table if not exists test_counter (n serial primary key, at timestamp default clock_timestamp())');
    await trx.raw('insert into test_counter default values');
    if (failNext) {
      failNext = false;
      throw new Error('test failure');
    }
    await trx.raw('select pg_sleep(0.2)');
    return { counted: 1 };
  },
});

describe('jobs: once per period, every trigger recorded', () => {
  let sidecar: TestSidecar;
  const counted = async () => Number((await sidecar.ctx.db.knex.raw('select count(*) as n from test_counter')).rows[0].n);
  const runs = () => sidecar.ctx.db.knex('sidecar_job_run').where({ job: 'test-counter' }).orderBy('id')
    .select('trigger', 'state', 'period_key', 'rows_touched', 'error', 'create_uid');
  const hook = (body: object) => {
    const raw = JSON.stringify(body);
    const ts = Math.floor(Date.now() / 1000);
    return fetch(`${sidecar.url}/hooks/job`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Sidecar-Timestamp': String(ts), 'X-Sidecar-Signature': signHook(SECRET, ts, raw) },
      body: raw,
    });
  };

  before(async () => {
    defineCounter();
    sidecar = await startTestSidecar('odoo17', { hookSecret: SECRET });
  });
  after(async () => {
    forgetJob('test-counter');
    await sidecar?.close();
  });
  beforeEach(async () => {
    await sidecar.ctx.db.knex('sidecar_job_run').where({ job: 'test-counter' }).delete();
    await sidecar.ctx.db.knex.raw('drop table if exists test_counter');
  });

  it('periods are UTC hours, days and ISO weeks', () => {
    const at = new Date('2027-01-01T23:30:00Z'); // a Friday: ISO week 53 of 2026
    expect(periodKey('hour', at)).to.equal('2027-01-01T23');
    expect(periodKey('day', at)).to.equal('2027-01-01');
    expect(periodKey('week', at)).to.equal('2026-W53');
    expect(periodKey('week', new Date('2027-01-04T00:00:00Z'))).to.equal('2027-W01');
    expect(periodKey('week', new Date('2026-12-06T23:59:59Z'))).to.equal('2026-W49'); // a Sunday
    expect(periodKey(null, at)).to.equal(null);
  });

  it('node-cron, Odoo\'s cron (the signed hook) and the CLI in one period: the work is done once, each trigger recorded', async () => {
    const first = await runJob(sidecar.ctx, 'test-counter', { trigger: 'schedule' });
    expect(first).to.deep.include({ ran: true, state: 'done' });
    const viaOdoo = await hook({ job: 'test-counter', uid: 2 });
    expect(viaOdoo.status).to.equal(200);
    expect(await viaOdoo.json()).to.deep.include({ job: 'test-counter', state: 'skipped', period: first.period });
    const cli = await runJob(sidecar.ctx, 'test-counter', { trigger: 'cli' });
    expect(cli).to.deep.include({ ran: false, state: 'skipped' });
    expect(cli.reason).to.match(/done in this period already \(run \d+\)/);
    expect(await counted()).to.equal(1);
    expect(await runs()).to.deep.equal([
      { trigger: 'schedule', state: 'done', period_key: first.period, rows_touched: 1, error: null, create_uid: null },
      { trigger: 'odoo', state: 'skipped', period_key: first.period, rows_touched: 0, error: null, create_uid: 2 },
      { trigger: 'cli', state: 'skipped', period_key: first.period, rows_touched: 0, error: null, create_uid: null },
    ]);
    // The next day is another period.
    const tomorrow = await runJob(sidecar.ctx, 'test-counter', { now: new Date(Date.now() + 86_400_000) });
    expect(tomorrow.state).to.equal('done');
    expect(await counted()).to.equal(2);
  });

  it('two replicas triggered at the same instant: one runs, the other skips at once', async () => {
    const [a, b] = await Promise.all([
      runJob(sidecar.ctx, 'test-counter', { trigger: 'schedule' }),
      runJob(sidecar.ctx, 'test-counter', { trigger: 'schedule' }),
    ]);
    expect([a.state, b.state].sort()).to.deep.equal(['done', 'skipped']);
    expect([a, b].find((o) => o.state === 'skipped')!.reason).to.equal('another replica is running it');
    expect(await counted()).to.equal(1);
  });

  it('a failing run writes nothing of its work, is recorded as failed, and the next trigger of the period runs', async () => {
    failNext = true;
    const failed = await runJob(sidecar.ctx, 'test-counter', { trigger: 'schedule' });
    // An unexpected error is told as the sanitiser tells it (the details are in the log, under the run's id).
    expect(failed).to.deep.include({ ran: false, state: 'failed' });
    expect(failed.reason).to.match(/^internal error \(see the sidecar's log, request id job:test-counter:[0-9a-f-]+\)$/);
    expect(await sidecar.ctx.db.knex.schema.hasTable('test_counter')).to.equal(false);
    const again = await hook({ job: 'test-counter' });
    expect(await again.json()).to.deep.include({ state: 'done' });
    expect((await runs()).map((r) => [r.state, r.error])).to.deep.equal([['failed', failed.reason], ['done', null]]);
  });

  it('the job hook refuses unknown jobs, unknown users and unsigned calls, and runs nothing', async () => {
    expect((await hook({ job: 'no-such-job' })).status).to.equal(404);
    expect((await hook({ job: 'test-counter', uid: 999999 })).status).to.equal(400);
    expect((await hook({ job: 'test-counter', uid: 'admin' })).status).to.equal(400);
    const unsigned = await fetch(`${sidecar.url}/hooks/job`, { method: 'POST', body: JSON.stringify({ job: 'test-counter' }) });
    expect(unsigned.status).to.equal(401);
    expect(await runs()).to.deep.equal([]);
  });

  it('every job of the sidecar has a period or says it runs on every trigger', () => {
    for (const name of ['expire-points', 'membership', 'membership-changed', 'points-sweep', 'expire-sessions', 'referral-codes', 'cleanup', 'report-refresh']) {
      expect(findJob(name), name).to.not.equal(undefined);
    }
    expect(findJob('expire-points')!.period).to.equal('day');
    expect(findJob('membership-changed')!.period).to.equal('hour');
    expect(findJob('cleanup')!.period).to.equal('week');
    expect(findJob('report-refresh')!.period).to.equal('hour');
    expect(findJob('points-sweep')!.period).to.equal(null);
  });

  it('the weekly cleanup deletes old runs and Idempotency-Key answers, keeps recent ones and the last membership run', async () => {
    const db = sidecar.ctx.db.knex;
    const now = new Date('2026-12-06T03:40:00Z');
    await db('sidecar_job_run').insert([
      { job: 'old', trigger: 'cli', state: 'done', started_at: '2026-08-01 00:00:00' },
      { job: 'recent', trigger: 'cli', state: 'done', started_at: '2026-11-30 00:00:00' },
    ]);
    await db('sidecar_membership_run').insert([
      { kind: 'full', as_of: '2026-01-01 00:00:00', partners: 0, lines_opened: 0, lines_closed: 0 },
      { kind: 'changed', as_of: '2026-02-01 00:00:00', partners: 0, lines_opened: 0, lines_closed: 0 },
    ]);
    await db('sidecar_idempotency_key').insert([
      { scope: 't', key: 'old', request_hash: 'x', create_date: '2026-10-01 00:00:00' },
      { scope: 't', key: 'new', request_hash: 'x', create_date: '2026-12-01 00:00:00' },
    ]);
    const out = await runJob(sidecar.ctx, 'cleanup', { now });
    expect(out.result).to.deep.equal({ jobRuns: 1, membershipRuns: 1, idempotencyKeys: 1 });
    expect(await db('sidecar_job_run').whereIn('job', ['old', 'recent']).pluck('job')).to.deep.equal(['recent']);
    expect(await db('sidecar_membership_run').pluck('as_of')).to.deep.equal(['2026-02-01 00:00:00']);
    expect(await db('sidecar_idempotency_key').where({ scope: 't' }).pluck('key')).to.deep.equal(['new']);
  });
});

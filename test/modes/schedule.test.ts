/**
 * Every scheduled job fires on its schedule in every database mode: the real scheduler
 * (node-cron, src/jobs/scheduler.ts) in the process, the clock faked (sinon: only the clock, no
 * time to wait for a cron expression), each job's real effect checked in the database.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import cron from 'node-cron';
import sinon from 'sinon';
import { loadConfig } from '../../src/config';
import { AppContext } from '../../src/context';
import { openDatabase } from '../../src/db/connection';
import { loadDemoSeeds } from '../../src/db/seed';
import { startScheduler } from '../../src/jobs/scheduler';
import { findJob } from '../../src/jobs/registry';
import { executeKw } from '../../src/orm/call';
import { boot } from '../../src/server';
import { freshDatabase, serverReachable } from '../helpers/pg';
import { uiOrder } from './mission';

/** One database per mode, booted as `npm start` boots it. */
const MODES: Record<string, () => Promise<{ ctx: AppContext; drop(): Promise<void> }>> = {
  async embedded() {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sidecar-schedule-'));
    const config = { ...loadConfig({}), dataDir, logLevel: 'silent' as const };
    const ctx = await boot(config, await openDatabase(config));
    return { ctx, drop: async () => { await ctx.db.close(); rmSync(dataDir, { recursive: true, force: true }); } };
  },
  async standalone() {
    const database = await freshDatabase('empty');
    const config = { ...loadConfig({}), databaseUrl: database.url, logLevel: 'silent' as const };
    const ctx = await boot(config, await openDatabase(config));
    await loadDemoSeeds(ctx.db.knex);
    return { ctx, drop: async () => { await ctx.db.close(); await database.drop(); } };
  },
  async attached() {
    const database = await freshDatabase('odoo17');
    const config = { ...loadConfig({}), databaseUrl: database.url, logLevel: 'silent' as const };
    const ctx = await boot(config, await openDatabase(config));
    return { ctx, drop: async () => { await ctx.db.close(); await database.drop(); } };
  },
};

/** Each job: what to set up before its tick, and the effect that shows it ran. */
type Probe = (ctx: AppContext) => Promise<() => Promise<boolean>>;
const count = async (ctx: AppContext, sql: string, bindings: number[] = []) => Number((await ctx.db.knex.raw(sql, bindings)).rows[0].n);
const PROBES: Record<string, Probe> = {
  // A paid order no hook brought: the sweep processes it.
  'points-sweep': async (ctx) => {
    const [{ id }] = (await executeKw(ctx, 2, 'pos.order', 'create_from_ui', [[uiOrder(`schedule-${Date.now()}`)], false], {})) as Array<{ id: number }>;
    return async () => (await count(ctx, 'select count(*) as n from sidecar_processed_order where pos_order_id = ?', [id])) === 1;
  },
  // A lot past its last valid day: expired.
  'expire-points': async (ctx) => {
    const [{ card_id: card }] = (await ctx.db.knex.raw(`
      update loyalty_point_move set expiration_date = '2000-01-01'
       where id = (select id from loyalty_point_move where remaining > 0 order by id limit 1) returning card_id`)).rows;
    return async () => (await count(ctx, `select count(*) as n from loyalty_point_move where card_id = ? and kind = 'expire'`, [card])) > 0;
  },
  membership: async (ctx) => {
    const before = await count(ctx, `select count(*) as n from sidecar_membership_run where kind = 'full'`);
    return async () => (await count(ctx, `select count(*) as n from sidecar_membership_run where kind = 'full'`)) > before;
  },
  'membership-changed': async (ctx) => {
    const before = await count(ctx, 'select count(*) as n from sidecar_membership_run');
    return async () => (await count(ctx, 'select count(*) as n from sidecar_membership_run')) > before;
  },
  // A card created on a day no report row has: promotion_result gains the day once refreshed.
  'report-refresh': async (ctx) => {
    await ctx.db.knex.raw(`insert into loyalty_card (program_id, company_id, code, points, create_date) values (1, 1, 'schedule-report', 0, '2001-01-01 10:00:00')`);
    return async () => (await count(ctx, `select count(*) as n from promotion_result where date = '2001-01-01'`)) === 1;
  },
  // A web session idle for years: removed.
  'expire-sessions': async (ctx) => {
    await ctx.db.knex('sidecar_session').insert({ sid: 'schedule-old', uid: 2, login: 'admin', db: ctx.dbName, password_fingerprint: 'x', last_seen: '2000-01-01 00:00:00' });
    return async () => (await count(ctx, `select count(*) as n from sidecar_session where sid = 'schedule-old'`)) === 0;
  },
};

async function eventually(check: () => Promise<boolean>, ms = 30_000): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until; ) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** When a cron expression next fires after `from` (node-cron's own reckoning, in UTC). */
function nextRun(schedule: string, from: number): number {
  const clock = sinon.useFakeTimers({ now: from, toFake: ['Date'] });
  try {
    const task = cron.createTask(schedule, () => undefined, { timezone: 'UTC' });
    const next = task.getNextRuns(1)[0].getTime();
    void task.destroy();
    return next;
  } finally {
    clock.restore();
  }
}

describe('modes: every job fires on its schedule (node-cron, the clock faked)', function () {
  this.timeout(300_000);
  for (const [mode, open] of Object.entries(MODES)) {
    describe(mode, () => {
      let db: { ctx: AppContext; drop(): Promise<void> } | undefined;
      before(async function () {
        if (mode !== 'embedded' && !(await serverReachable())) this.skip();
        db = await open();
      });
      after(async () => db?.drop());

      for (const [name, probe] of Object.entries(PROBES)) {
        it(`${name} (${findJob(name)?.schedule})`, async () => {
          const { ctx } = db!;
          const ran = await probe(ctx);
          expect(await ran(), 'not before its tick').to.equal(false);
          // The clock just before the job's next tick; only this job scheduled, so no other job
          // runs in between and nothing waits on a faked timer longer than the few seconds ticked.
          const job = findJob(name)!;
          const at = nextRun(job.schedule, Date.now());
          const clock = sinon.useFakeTimers({ now: at - 2000, toFake: ['Date', 'setTimeout', 'clearTimeout'] });
          let stop: () => void = () => undefined;
          try {
            stop = startScheduler(ctx, [job]);
            await clock.tickAsync(3000);
          } finally {
            clock.restore();
            stop();
          }
          expect(await eventually(ran), `${name} did not run on its schedule`).to.equal(true);
        });
      }
    });
  }
});

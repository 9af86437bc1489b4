import { randomUUID } from 'node:crypto';
import cron, { ScheduledTask } from 'node-cron';
import { AppContext } from '../context';
import { withAdvisoryLock } from '../db/locks';
import { sanitizeError } from '../errors';
import { log } from '../log';
import { runInContext } from '../request-context';
import { allJobs, findJob, Job } from './registry';
import { doneInPeriod, periodKey, recordRun, RunState, Trigger } from './runs';
import { tickCoordinator } from './tick-claims';
import { withJobRunEvent } from '../events/job-run';
import './index';

export interface RunOptions {
  /** The instant the job works for (default: now). */
  now?: Date;
  trigger?: Trigger;
  /** The acting user recorded on the run (Odoo's cron user for the job hook). */
  uid?: number | null;
}

export interface JobOutcome {
  /** Whether the job did its work in this trigger. */
  ran: boolean;
  state: RunState;
  /** The sidecar_job_run row of this trigger. */
  run_id: number;
  period: string | null;
  result?: Record<string, unknown>;
  /** skipped: why; failed: the error's message. */
  reason?: string;
}

/**
 * Runs one job now, under its advisory lock, once per period (runs.ts), and records the run.
 * On several replicas (and with Odoo's ir.cron triggering the same job) the same tick fires in
 * several places: only the one that gets the lock runs, the others skip at once; a later
 * trigger in the same period finds the run done and skips too. A failing job rolls its work
 * back and is recorded as failed (the next trigger of the period tries again).
 */
export async function runJob(app: AppContext, job: Job | string, when: Date | RunOptions = {}): Promise<JobOutcome> {
  const j = typeof job === 'string' ? findJob(job) : job;
  if (!j) throw new Error(`unknown job ${job}`);
  return runInContext({ id: `job:${j.name}:${randomUUID()}`, method: j.name }, () => withJobRunEvent(app, j.name, async (): Promise<JobOutcome> => {
    const opts = when instanceof Date ? { now: when } : when;
    const now = opts.now ?? new Date();
    const trigger = opts.trigger ?? 'cli';
    const uid = opts.uid ?? null;
    const period = periodKey(j.period, now);
    const started = Date.now();
    const finishedAt = () => new Date(now.getTime() + (Date.now() - started));
    const base = { job: j.name, period, trigger, startedAt: now, uid };
    const skip = async (reason: string): Promise<JobOutcome> => {
      const runId = await recordRun(app.db.knex, { ...base, state: 'skipped', finishedAt: finishedAt(), rows: 0, result: { skipped: reason }, error: null });
      log.info(`job ${j.name} skipped: ${reason}`, { trigger });
      return { ran: false, state: 'skipped', run_id: runId, period, reason };
    };
    type Inner = { skipped: string } | { result: Record<string, unknown>; runId: number };
    let outcome: Awaited<ReturnType<typeof withAdvisoryLock<Inner>>>;
    try {
      outcome = await withAdvisoryLock<Inner>(app.db.knex, 'job:' + j.name, async (trx) => {
        const done = period ? await doneInPeriod(trx, j.name, period) : null;
        if (done !== null) return { skipped: `done in this period already (run ${done})` };
        const result = (await j.run(trx, app, now)) ?? {};
        const runId = await recordRun(trx, { ...base, state: 'done', finishedAt: finishedAt(), rows: j.touched?.(result) ?? 0, result, error: null });
        return { result, runId };
      });
    } catch (err) {
      // Logged here, inside the run's context, with its stack; the run row and the outcome keep
      // the sanitised message (no SQL text: the hook and `npm run job` show it).
      const reason = sanitizeError(err).message;
      const runId = await recordRun(app.db.knex, { ...base, state: 'failed', finishedAt: finishedAt(), rows: 0, result: null, error: reason });
      log.error(`job ${j.name} failed: ${reason}`, { trigger, run_id: runId });
      return { ran: false, state: 'failed', run_id: runId, period, reason };
    }
    if (!outcome.ran) return skip('another replica is running it');
    if ('skipped' in outcome.result) return skip(outcome.result.skipped);
    log.info(`job ${j.name} done`, { ms: Date.now() - started, trigger, ...outcome.result.result });
    return { ran: true, state: 'done', run_id: outcome.result.runId, period, result: outcome.result.result };
  }));
}

/**
 * Schedules the jobs (every job by default) with node-cron, each tick run by one replica
 * (tick-claims.ts), on JOB_SCHEDULES' expression where it names the job; returns a stop
 * function for graceful shutdown (runs in flight are tracked: the stop waits for them).
 */
export function startScheduler(app: AppContext, jobs: Job[] = allJobs()): () => void {
  const coordinator = tickCoordinator(app.db.knex, app.lifecycle.replica);
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(app.config.jobSchedules[job.name] ?? job.schedule, () => {
      // A run that could not even be recorded is logged; the next tick tries again.
      app.lifecycle.track(runJob(app, job, { trigger: 'schedule' }).catch((err) => log.error(`job ${job.name} could not run`, { error: (err as Error).message })));
    }, { timezone: 'UTC', noOverlap: true, name: job.name, distributed: true, runCoordinator: coordinator } as Parameters<typeof cron.schedule>[2]),
  );
  return () => tasks.forEach((t) => t.stop());
}

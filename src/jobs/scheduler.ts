import { randomUUID } from 'node:crypto';
import cron, { ScheduledTask } from 'node-cron';
import { AppContext } from '../context';
import { withAdvisoryLock } from '../db/locks';
import { sanitizeError } from '../errors';
import { log } from '../log';
import { runInContext } from '../request-context';
import { allJobs, findJob, Job } from './registry';
import { tickCoordinator } from './tick-claims';
import { withJobRunEvent } from '../events/job-run';
import './index';

/**
 * Runs one job now under its advisory lock. On several replicas the same tick fires
 * everywhere; only the replica that gets the lock runs, the others skip at once. Its log
 * lines share an id of their own (`job:<name>:<uuid>`), as a request's do.
 */
export async function runJob(app: AppContext, job: Job | string, now = new Date()) {
  const j = typeof job === 'string' ? findJob(job) : job;
  if (!j) throw new Error(`unknown job ${job}`);
  return runInContext({ id: `job:${j.name}:${randomUUID()}`, method: j.name }, () => withJobRunEvent(app, j.name, async () => {
    const started = Date.now();
    // An unexpected failure is logged here, inside the run's context, with its stack.
    const outcome = await withAdvisoryLock(app.db.knex, 'job:' + j.name, (trx) => j.run(trx, app, now)).catch((err) => {
      throw sanitizeError(err);
    });
    if (outcome.ran) log.info(`job ${j.name} done`, { ms: Date.now() - started, ...(outcome.result ?? {}) });
    else log.info(`job ${j.name} skipped: another replica holds its lock`);
    return outcome;
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
      // A failed run is logged (runJob: with its stack, under the run's id); the next tick tries again.
      app.lifecycle.track(runJob(app, job).catch((err) => log.error(`job ${job.name} failed`, { error: (err as Error).message })));
    }, { timezone: 'UTC', noOverlap: true, name: job.name, distributed: true, runCoordinator: coordinator } as Parameters<typeof cron.schedule>[2]),
  );
  return () => tasks.forEach((t) => t.stop());
}

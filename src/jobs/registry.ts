import { Knex } from 'knex';
import { AppContext } from '../context';

/**
 * How often a job does its work, whoever triggers it: once per UTC hour, day or ISO week
 * (src/jobs/runs.ts), or null for a job that does it on every trigger (the sweep: running it
 * again only finds less to do).
 */
export type JobPeriod = 'hour' | 'day' | 'week' | null;

/** A scheduled job: a name (also its advisory-lock key and CLI name), a cron expression, the work. */
export interface Job {
  name: string;
  /** node-cron expression, in UTC. */
  schedule: string;
  description: string;
  period: JobPeriod;
  /** Runs inside one transaction that holds the job's advisory lock. */
  run(trx: Knex.Transaction, app: AppContext, now: Date): Promise<Record<string, unknown> | void>;
  /** The rows a run touched, from its result (sidecar_job_run.rows_touched). */
  touched?(result: Record<string, unknown>): number;
}

const jobs = new Map<string, Job>();

export function defineJob(job: Job): void {
  if (jobs.has(job.name)) throw new Error(`job ${job.name} defined twice`);
  jobs.set(job.name, job);
}

/** Removes a job defined by a test (the product's own jobs are never removed). */
export function forgetJob(name: string): void {
  jobs.delete(name);
}

export function allJobs(): Job[] {
  return [...jobs.values()];
}

export function findJob(name: string): Job | undefined {
  return jobs.get(name);
}

/** The sum of a result's numeric entries named: what most jobs count as rows touched. */
export const sumOf = (...keys: string[]) => (result: Record<string, unknown>): number =>
  keys.reduce((s, k) => s + (typeof result[k] === 'number' ? (result[k] as number) : 0), 0);

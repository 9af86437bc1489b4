import { Knex } from 'knex';
import { AppContext } from '../context';

/** A scheduled job: a name (also its advisory-lock key and CLI name), a cron expression, the work. */
export interface Job {
  name: string;
  /** node-cron expression, in UTC. */
  schedule: string;
  description: string;
  /** Runs inside one transaction that holds the job's advisory lock. */
  run(trx: Knex.Transaction, app: AppContext, now: Date): Promise<Record<string, unknown> | void>;
}

const jobs = new Map<string, Job>();

export function defineJob(job: Job): void {
  if (jobs.has(job.name)) throw new Error(`job ${job.name} defined twice`);
  jobs.set(job.name, job);
}

export function allJobs(): Job[] {
  return [...jobs.values()];
}

export function findJob(name: string): Job | undefined {
  return jobs.get(name);
}

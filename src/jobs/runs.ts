import { Knex } from 'knex';
import { odooDatetime } from '../ledger/time';
import { JobPeriod } from './registry';

/**
 * sidecar_job_run (migration 0141): every trigger of a job leaves one row, done, failed or
 * skipped. "Once per period" is a fact of that table: a job with a period runs only when no run
 * of it is done with the same period key, and the unique index on (job, period_key) of done
 * runs keeps it so whichever replica or trigger gets there.
 */

/** Who triggered a run: a replica's node-cron, Odoo's ir.cron (signed job hook), `npm run job`. */
export type Trigger = 'schedule' | 'odoo' | 'cli';

export type RunState = 'done' | 'failed' | 'skipped';

/** The UTC period `now` falls in: '2026-12-06T04' (hour), '2026-12-06' (day), '2026-W49' (ISO week). */
export function periodKey(period: JobPeriod, now: Date): string | null {
  const iso = now.toISOString();
  if (period === 'hour') return iso.slice(0, 13);
  if (period === 'day') return iso.slice(0, 10);
  if (period === 'week') {
    // ISO 8601: the week belongs to the year of its Thursday.
    const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const weekday = day.getUTCDay() || 7;
    day.setUTCDate(day.getUTCDate() + 4 - weekday);
    const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
    const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
    return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
  }
  return null;
}

/** The run already done in this period, if any. */
export async function doneInPeriod(cr: Knex, job: string, period: string): Promise<number | null> {
  const row = await cr('sidecar_job_run').where({ job, period_key: period, state: 'done' }).first('id');
  return row?.id ?? null;
}

export interface RunRecord {
  job: string;
  period: string | null;
  trigger: Trigger;
  state: RunState;
  startedAt: Date;
  finishedAt: Date;
  rows: number;
  result: Record<string, unknown> | null;
  error: string | null;
  uid: number | null;
}

/** Writes one run; answers its id. */
export async function recordRun(cr: Knex, r: RunRecord): Promise<number> {
  const [{ id }] = await cr('sidecar_job_run').insert({
    job: r.job,
    period_key: r.period,
    trigger: r.trigger,
    state: r.state,
    started_at: odooDatetime(r.startedAt),
    finished_at: odooDatetime(r.finishedAt),
    rows_touched: r.rows,
    result: r.result === null ? null : JSON.stringify(r.result),
    // One line, bounded: the message, never a stack.
    error: r.error === null ? null : r.error.split('\n')[0].slice(0, 500),
    create_uid: r.uid,
    write_uid: r.uid,
    create_date: odooDatetime(r.finishedAt),
    write_date: odooDatetime(r.finishedAt),
  }).returning('id');
  return id;
}

/**
 * Progress lines of a long job run (the expiry of a large backlog, a full membership
 * evaluation): at most one every PROGRESS_EVERY_MS, with how far it got, so an operator reading
 * the log of a run that takes a minute sees it move. Lines carry the run's request id (job:…).
 */
import { log } from '../log';
import { currentRequest } from '../request-context';

const PROGRESS_EVERY_MS = 2000;

export interface Progress {
  /** Reports `done` of `total` (and any counters); logged when the last line is old enough or the work is finished. */
  step(done: number, total: number, extra?: Record<string, unknown>): void;
  /** Reports a named stage of work without a count (a step of a set-based run). */
  stage(name: string, extra?: Record<string, unknown>): void;
}

export function progress(job: string): Progress {
  const started = Date.now();
  let last = 0;
  const line = (fields: Record<string, unknown>) => {
    last = Date.now();
    log.info(`job ${job} progress`, { ...fields, elapsed_ms: last - started });
  };
  return {
    step(done, total, extra) {
      const finished = done >= total;
      if (!finished && Date.now() - last < PROGRESS_EVERY_MS) return;
      line({ done, total, pct: total ? Math.round((1000 * done) / total) / 10 : 100, ...extra });
    },
    stage(name, extra) {
      line({ stage: name, ...extra });
    },
  };
}

/**
 * A stage line of the job run this code runs in (set-based work that has no count to report,
 * such as a membership evaluation's steps); nothing outside a job run (a request evaluating
 * one partner's orders writes no such line).
 */
export function jobStage(stage: string, extra?: Record<string, unknown>): void {
  const run = currentRequest();
  if (!run?.id.startsWith('job:')) return;
  log.info(`job ${run.method} progress`, { stage, ...extra });
}

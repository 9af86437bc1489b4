import { AppContext } from '../context';
import { emitEvents } from './outbox';
import { JobRunData } from './types';

/** What a job run answers, on every version of runJob: whether it ran, its result, its state when it says. */
interface RunOutcome {
  ran: boolean;
  result?: unknown;
  state?: string;
  reason?: string;
}

/**
 * Runs a job run and writes its job.run event once it has ended (done, skipped or failed), in a
 * statement of its own: the run's own transaction has committed or rolled back by then.
 */
export async function withJobRunEvent<T extends RunOutcome>(app: AppContext, job: string, run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const announce = (data: Omit<JobRunData, 'job' | 'ms'>) =>
    emitEvents(app.db.knex, [{ type: 'job.run', payload: { job, ms: Date.now() - started, ...data } }]).catch(() => undefined);
  let outcome: T;
  try {
    outcome = await run();
  } catch (err) {
    await announce({ state: 'failed', result: null, error: (err as Error).message });
    throw err;
  }
  const state = (outcome.state ?? (outcome.ran ? 'done' : 'skipped')) as JobRunData['state'];
  const result = outcome.result && typeof outcome.result === 'object' ? (outcome.result as Record<string, unknown>) : null;
  await announce({ state, result, error: state === 'failed' ? outcome.reason ?? null : null });
  return outcome;
}

import { defineJob, sumOf } from './registry';
import { odooDatetime } from '../ledger/time';

/** How long the sidecar's own bookkeeping is kept, in days. */
const KEEP_DAYS = { jobRuns: 90, membershipRuns: 90, idempotencyKeys: 30 };

/**
 * Weekly: the sidecar's bookkeeping that only serves for a while: job runs and membership runs
 * older than 90 days (the membership job reads only the latest run), Idempotency-Key answers
 * older than 30 days (a client retries a write within minutes, not weeks). Never the ledger.
 */
defineJob({
  name: 'cleanup',
  schedule: '40 3 * * 0',
  description: 'Delete old job runs, membership runs and stored Idempotency-Key answers',
  period: 'week',
  touched: sumOf('jobRuns', 'membershipRuns', 'idempotencyKeys'),
  async run(trx, _app, now) {
    const before = (days: number) => odooDatetime(new Date(now.getTime() - days * 86_400_000));
    const jobRuns = await trx('sidecar_job_run').where('started_at', '<', before(KEEP_DAYS.jobRuns)).delete();
    // The latest run is what the hourly membership job starts from: kept whatever its age.
    const membershipRuns = await trx('sidecar_membership_run')
      .where('as_of', '<', before(KEEP_DAYS.membershipRuns))
      .whereNot('id', trx('sidecar_membership_run').max('id'))
      .delete();
    const idempotencyKeys = await trx('sidecar_idempotency_key').where('create_date', '<', before(KEEP_DAYS.idempotencyKeys)).delete();
    return { jobRuns, membershipRuns, idempotencyKeys };
  },
});

import { Knex } from 'knex';
import { AppContext } from '../context';
import { lockKey } from '../db/locks';
import { evaluateChanged, tiersChangedSince, BatchResult } from '../models/membership-batch';
import { evaluateAllSplit } from '../models/membership-backfill';
import { EvaluationClock } from '../models/membership-evaluate';
import { utcTimestamp } from '../models/membership-facts';
import { givePrimaryCards } from '../models/membership-primary-card';
import { defineJob, sumOf } from './registry';
// The models (and their order hooks) must be loaded wherever jobs run, the CLI included.
import '../models';

/**
 * Membership tiers, set-based (src/models/membership-batch.ts):
 * - `membership`: full re-evaluation of every partner (the back-fill: `npm run job -- membership`),
 *   also run nightly as a safety net;
 * - `membership-changed`: hourly, only partners whose spend or period changed since the last
 *   run (a full run when there was none, or when tiers were edited or a tier's sale period
 *   began or ended).
 * Both hold one shared advisory lock besides their own, so they never overlap. The hourly run
 * also gives the primary loyalty program's card to partners created since (by Odoo itself).
 */

/** Odoo's superuser: what crons write as create_uid / write_uid. */
const JOB_UID = 1;
/**
 * Full runs go over this many partner-id ranges side by side, each on its own connection
 * (membership-backfill.ts): the back-fill is bound by writing Odoo's tables, one core per
 * connection, and the machines this runs on have two. PGlite is one session: one range.
 */
const FULL_RUN_SLICES = 2;
/** Orders committed late with an earlier write_date are caught by looking back a little further. */
const LOOKBACK_MS = 15 * 60_000;

type Outcome = (BatchResult & { kind: 'full' | 'changed' }) | { skipped: string };

async function withTierLock(trx: Knex.Transaction, fn: () => Promise<Outcome>): Promise<Outcome> {
  const got = (await trx.raw('select pg_try_advisory_xact_lock(?::bigint) as ok', [lockKey('membership-tiers')])).rows[0].ok;
  if (!got) return { skipped: 'another membership evaluation is running' };
  return fn();
}

async function record(trx: Knex.Transaction, kind: 'full' | 'changed', now: Date, result: BatchResult): Promise<Outcome> {
  await trx('sidecar_membership_run').insert({
    kind,
    as_of: utcTimestamp(now),
    partners: result.partners,
    lines_opened: result.linesOpened,
    lines_closed: result.linesClosed,
  });
  return { kind, ...result };
}

function evaluateFull(trx: Knex.Transaction, app: AppContext, clock: EvaluationClock): Promise<BatchResult> {
  return evaluateAllSplit(trx, app.db.knex, clock, app.db.engine === 'postgres' ? FULL_RUN_SLICES : 1);
}

export async function runFull(trx: Knex.Transaction, app: AppContext, now: Date): Promise<Outcome> {
  return withTierLock(trx, async () =>
    record(trx, 'full', now, await evaluateFull(trx, app, { now, policy: app.config.membershipDowngrade, uid: JOB_UID })));
}

export async function runChanged(trx: Knex.Transaction, app: AppContext, now: Date): Promise<Outcome> {
  return withTierLock(trx, async () => {
    const clock = { now, policy: app.config.membershipDowngrade, uid: JOB_UID };
    const last = (await trx('sidecar_membership_run').max('as_of as at'))[0].at as string | null;
    const lastRun = last ? new Date(last.replace(' ', 'T') + 'Z') : null;
    if (!lastRun || (await tiersChangedSince(trx, lastRun, now))) return record(trx, 'full', now, await evaluateFull(trx, app, clock));
    const since = new Date(lastRun.getTime() - LOOKBACK_MS);
    const result = await evaluateChanged(trx, clock, since);
    const cards = await givePrimaryCards(trx, { createdAfter: since }, JOB_UID, now);
    return { ...(await record(trx, 'changed', now, result)), primaryCards: cards };
  });
}

defineJob({
  name: 'membership',
  schedule: '30 2 * * *',
  description: 'Membership tiers: full re-evaluation of every partner (back-fill)',
  period: 'day',
  touched: sumOf('linesOpened', 'linesClosed', 'partnersUpdated'),
  run: runFull,
});

defineJob({
  name: 'membership-changed',
  schedule: '7 * * * *',
  description: 'Membership tiers: partners whose spend or membership period changed since the last run',
  period: 'hour',
  touched: sumOf('linesOpened', 'linesClosed', 'partnersUpdated', 'primaryCards'),
  run: runChanged,
});

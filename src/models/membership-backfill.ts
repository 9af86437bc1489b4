import { Knex } from 'knex';
import { BatchResult, evaluateAll, evaluateAssociates, PartnerRange } from './membership-batch';
import { EvaluationClock } from './membership-evaluate';

/**
 * A full evaluation split over partner-id ranges, one connection each, so the first
 * back-fill (hundreds of thousands of lines inserted and res_partner rows rewritten, each
 * through its indexes and foreign-key checks) uses every core instead of one.
 *
 * The first range runs in `trx` (the job's transaction, which holds the job's advisory locks
 * until the end), the others each in their own transaction on `db`, side by side; then, in
 * `trx`, the associate members' columns, which read other partners' lines and states
 * (evaluateAssociates). Each range commits on its own: if one fails the others' work stays,
 * and is correct; a full run is idempotent, so the next run finishes the rest.
 */
export async function evaluateAllSplit(trx: Knex.Transaction, db: Knex, clock: EvaluationClock, slices: number): Promise<BatchResult> {
  if (slices <= 1) return evaluateAll(trx, clock);
  const ranges = await partnerRanges(trx, slices);
  const settled = await Promise.allSettled(
    ranges.map((range, i) => (i === 0 ? evaluateAll(trx, clock, range) : db.transaction((cr) => evaluateAll(cr, clock, range)))),
  );
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  const results = settled.map((s) => (s as PromiseFulfilledResult<BatchResult>).value);
  // The ranges could not ANALYZE the lines table they grew (see evaluateScope); done once here.
  if (results.reduce((n, r) => n + r.linesOpened, 0) > 10_000) await trx.raw('analyze membership_membership_line');
  const associates = await evaluateAssociates(trx, clock);
  return {
    partners: results.reduce((n, r) => n + r.partners, 0),
    linesOpened: results.reduce((n, r) => n + r.linesOpened, 0),
    linesClosed: results.reduce((n, r) => n + r.linesClosed, 0),
    partnersUpdated: results.reduce((n, r) => n + r.partnersUpdated, associates),
  };
}

/** `slices` ranges covering every partner id, each with about as many partners. */
async function partnerRanges(trx: Knex.Transaction, slices: number): Promise<PartnerRange[]> {
  const cuts = Array.from({ length: slices - 1 }, (_, i) => (i + 1) / slices);
  const row = (
    await trx.raw(`select percentile_disc(?::float8[]) within group (order by id) as cuts from res_partner`, [cuts])
  ).rows[0];
  // Partner ids are PostgreSQL integers: the outer bounds take in every one.
  const bounds: number[] = [-(2 ** 31), ...(row.cuts ?? []).map(Number), 2 ** 31];
  return bounds.slice(1).map((to, i) => ({ from: bounds[i], to }));
}

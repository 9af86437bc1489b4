import { Knex } from 'knex';
import {
  decideTier, DowngradePolicy, grantPeriod, GrantedLine, highestRank, IsoDate, lineInForce, Tier, TierDecision,
} from '../engine/membership';
import { MissingError } from '../errors';
import { LineRow, loadLines, loadTiers, SPEND_STATES } from './membership-facts';
import { recomputePartnerMembership } from './membership-partner';

/** When and as whom an evaluation runs. */
export interface EvaluationClock {
  now: Date;
  policy: DowngradePolicy;
  /** res_users id written in create_uid / write_uid (1, Odoo's superuser, for jobs). */
  uid: number;
}

/** UTC calendar day of an instant (Odoo stores dates and datetimes in UTC). */
export const utcDay = (now: Date): IsoDate => now.toISOString().slice(0, 10);

/** Odoo's `timestamp without time zone` text for an instant (UTC). */
export const utcTimestamp = (now: Date): string => now.toISOString().replace('T', ' ').replace('Z', '');

/** Start of a spend window of N days ending at `now`: orders strictly after it count. */
export const windowStart = (now: Date, days: number): string => utcTimestamp(new Date(now.getTime() - days * 86_400_000));

/** Qualifying spend of one partner for each window length (paid, done and invoiced POS orders; refunds are negative). */
export async function partnerSpend(cr: Knex.Transaction, partnerId: number, windows: number[], now: Date): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (!windows.length) return out;
  const sums = windows.map(() => 'coalesce(sum(amount_total) filter (where date_order > ?), 0)::float8').join(', ');
  const row = (
    await cr.raw(
      `select array[${sums}] as amounts from pos_order
        where partner_id = ? and state = any(?) and date_order <= ? and date_order > ?`,
      [...windows.map((w) => windowStart(now, w)), partnerId, SPEND_STATES, utcTimestamp(now), windowStart(now, Math.max(...windows))],
    )
  ).rows[0];
  windows.forEach((w, i) => out.set(w, Number(row.amounts[i])));
  return out;
}

export interface PartnerEvaluation extends TierDecision {
  partnerId: number;
  /** The line that was closed, and the one opened, if any. */
  closedLineId: number | null;
  openedLineId: number | null;
}

/**
 * Evaluates one partner's tier now (after each processed paid order): decides with
 * engine/membership.ts, closes/opens the sidecar's membership lines, and keeps the partner's
 * stored membership columns in step. Runs in the caller's transaction.
 */
export async function evaluatePartner(cr: Knex.Transaction, partnerId: number, clock: EvaluationClock): Promise<PartnerEvaluation> {
  const today = utcDay(clock.now);
  const exists = await cr('res_partner').where({ id: partnerId }).first('id');
  if (!exists) {
    throw new MissingError(`Record does not exist or has been deleted.\n(Record: res.partner(${partnerId},), User: ${clock.uid})`);
  }
  const tiers = await loadTiers(cr);
  const rankOf = rankLookup(tiers);
  const lines = await loadLines(cr, [partnerId]);
  const windows = [...new Set(tiers.map((t) => t.windowDays))];
  const spend = await partnerSpend(cr, partnerId, windows, clock.now);
  const granted = grantedLine(lines, rankOf, today);
  const decision = decideTier({
    tiers,
    spend: (days) => spend.get(days) ?? 0,
    granted,
    heldRank: highestRank(lines.filter((l) => l.grantedSpend === null), rankOf, today),
    today,
    policy: clock.policy,
  });
  let closedLineId: number | null = null;
  let openedLineId: number | null = null;
  const stamp = utcTimestamp(clock.now);
  if (decision.closeGranted && granted) {
    await cr('membership_membership_line').where({ id: granted.id }).update({ date_cancel: today, write_uid: clock.uid, write_date: stamp });
    closedLineId = granted.id;
  }
  if (decision.open) openedLineId = await openTierLine(cr, partnerId, decision.open, decision.spend, today, clock.uid, stamp);
  await recomputePartnerMembership(cr, [partnerId], today);
  return { partnerId, ...decision, closedLineId, openedLineId };
}

/** A membership product's rank when it is a configured tier. */
export function rankLookup(tiers: Tier[]): (productId: number) => number | undefined {
  const ranks = new Map(tiers.map((t) => [t.productId, t.rank]));
  return (productId) => ranks.get(productId);
}

/**
 * The sidecar's line in force, best ranked first. A line whose product is no longer a tier
 * ranks below every tier, so any earned tier replaces it and its downgrade follows the policy.
 */
function grantedLine(lines: LineRow[], rankOf: (productId: number) => number | undefined, today: IsoDate): GrantedLine | null {
  const inForce = lines
    .filter((l) => l.grantedSpend !== null && lineInForce(l, today))
    .map((l) => ({ id: l.id, productId: l.productId, rank: rankOf(l.productId) ?? Number.NEGATIVE_INFINITY }))
    .sort((a, b) => b.rank - a.rank || b.id - a.id);
  return inForce[0] ?? null;
}

/** Inserts a 'free' line for a tier earned by spend, carrying the spend that qualified it. */
async function openTierLine(
  cr: Knex.Transaction, partnerId: number, tier: Tier, spend: number, today: IsoDate, uid: number, stamp: string,
): Promise<number> {
  const { dateFrom, dateTo } = grantPeriod(tier, today);
  const row = (
    await cr.raw(
      `insert into membership_membership_line
         (partner, membership_id, date_from, date_to, date, member_price, state, company_id,
          member_transaction_amount_total, create_uid, write_uid, create_date, write_date)
       select p.id, ?, ?, ?, ?, 0, 'free', coalesce(p.company_id, t.company_id, (select min(id) from res_company)),
              ?, ?, ?, ?, ?
         from res_partner p, product_product pp join product_template t on t.id = pp.product_tmpl_id
        where p.id = ? and pp.id = ?
       returning id`,
      [tier.productId, dateFrom, dateTo, today, spend, uid, uid, stamp, stamp, partnerId, tier.productId],
    )
  ).rows[0];
  return row.id;
}

/**
 * The tier a partner is in today: the best-ranked tier among the lines in force of the
 * partner and of its associate member (an associate member shares its associate's
 * membership, as Odoo's state does). Used by the program gate and to stamp orders.
 */
export async function currentTier(cr: Knex | Knex.Transaction, partnerId: number, today: IsoDate): Promise<{ productId: number; rank: number } | null> {
  const tiers = await loadTiers(cr);
  const rankOf = rankLookup(tiers);
  const rows = (
    await cr.raw(
      `select l.membership_id as product_id, l.state, l.date_from::text, l.date_to::text, l.date_cancel::text
         from membership_membership_line l join res_partner p on p.id = ?
        where l.partner = p.id or l.partner = p.associate_member`,
      [partnerId],
    )
  ).rows.map((r: Record<string, unknown>) => ({
    productId: r.product_id as number, state: r.state as LineRow['state'],
    dateFrom: (r.date_from as string | null) ?? null, dateTo: (r.date_to as string | null) ?? null, dateCancel: (r.date_cancel as string | null) ?? null,
  }));
  const rank = highestRank(rows, rankOf, today);
  if (rank === null) return null;
  const best = rows.filter((l: { productId: number }) => rankOf(l.productId) === rank && lineInForce(l as LineRow, today))
    .map((l: { productId: number }) => l.productId).sort((a: number, b: number) => a - b)[0];
  return { productId: best, rank };
}

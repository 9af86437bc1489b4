import { Knex } from 'knex';
import {
  decideTier, DowngradePolicy, grantPeriod, GrantedLine, highestRank, IsoDate, lineInForce, Tier, TierDecision,
} from '../engine/membership';
import { MissingError } from '../errors';
import { LineRow, loadLines, loadTiers, spendQuery, utcDay, utcTimestamp } from './membership-facts';
import { recomputePartnerMembership } from './membership-partner';
import { restoreTierLines } from './membership-batch';
import { membershipChangedEvent } from '../events/membership';
import { emitEvents } from '../events/outbox';

/** When and as whom an evaluation runs. */
export interface EvaluationClock {
  now: Date;
  policy: DowngradePolicy;
  /** res_users id written in create_uid / write_uid (1, Odoo's superuser, for jobs). */
  uid: number;
}

/** Qualifying spend of one partner for each window length. */
export async function partnerSpend(cr: Knex.Transaction, partnerId: number, windows: number[], now: Date): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (!windows.length) return out;
  const spend = spendQuery(windows, now);
  const row = (await cr.raw(`select ${spend.select} from pos_order where ${spend.where} and partner_id = ?`, [...spend.bindings, partnerId])).rows[0];
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
  await restoreTierLines(cr, clock, 'l.partner = ?', [partnerId]);
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
  if (closedLineId !== null || openedLineId !== null) {
    await emitEvents(cr, [membershipChangedEvent({ partnerId, tier: decision.open?.productId ?? null, openedLineId, closedLineId, spend: decision.spend })]);
  }
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

/** A partner's memberships in force today. */
export interface PartnerTier {
  /** The best-ranked tier held, or null. */
  tier: { productId: number; rank: number } | null;
  /** Every membership product held in force (tiers or not). */
  products: Set<number>;
}

/**
 * The memberships a partner holds today, through its own lines and those of its associate
 * member (an associate member shares its associate's membership, as Odoo's state does).
 * Used by the program gate and to stamp orders.
 */
export async function currentTier(cr: Knex | Knex.Transaction, partnerId: number, today: IsoDate): Promise<PartnerTier> {
  return (await currentTiers(cr, [partnerId], today)).get(partnerId)!;
}

/** currentTier of several partners in one round trip (a batch of orders). */
export async function currentTiers(cr: Knex | Knex.Transaction, partnerIds: number[], today: IsoDate): Promise<Map<number, PartnerTier>> {
  const out = new Map<number, PartnerTier>(partnerIds.map((id) => [id, { tier: null, products: new Set<number>() }]));
  if (!partnerIds.length) return out;
  const rankOf = rankLookup(await loadTiers(cr));
  const rows = (
    await cr.raw(
      `select p.id as partner_id, l.membership_id as product_id, l.state, l.date_from::text, l.date_to::text, l.date_cancel::text
         from res_partner p join membership_membership_line l on l.partner = p.id or l.partner = p.associate_member
        where p.id = any(?::int[])`,
      [partnerIds],
    )
  ).rows as Array<Record<string, unknown>>;
  for (const r of rows) {
    const line = {
      productId: r.product_id as number,
      state: r.state as LineRow['state'],
      dateFrom: (r.date_from as string | null) ?? null,
      dateTo: (r.date_to as string | null) ?? null,
      dateCancel: (r.date_cancel as string | null) ?? null,
    };
    if (lineInForce(line, today)) out.get(r.partner_id as number)!.products.add(line.productId);
  }
  for (const held of out.values()) {
    for (const productId of [...held.products].sort((a, b) => a - b)) {
      const rank = rankOf(productId);
      if (rank !== undefined && (held.tier === null || rank > held.tier.rank)) held.tier = { productId, rank };
    }
  }
  return out;
}

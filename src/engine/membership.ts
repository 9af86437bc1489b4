/**
 * Membership, as pure functions of plain data (DESIGN decision 5): no I/O, no clock.
 *
 * Two halves:
 * - Odoo 17's stored membership computations (addons/membership): the state of one
 *   membership.membership_line from its invoice, and res.partner's membership_state /
 *   membership_start / membership_stop / membership_cancel from the partner's lines. The
 *   sidecar writes those columns itself whenever it changes a line, because Odoo never
 *   recomputes a row it did not write; they must be what Odoo would have stored.
 * - Spend tiers, which Odoo does not have: which tier a partner's spend earns, and whether
 *   the line the sidecar granted earlier must be kept, replaced or closed.
 *
 * Dates are ISO 'YYYY-MM-DD' strings throughout (they compare correctly as strings).
 */

export type IsoDate = string;

/** membership.STATE in Odoo 17. */
export type MembershipState = 'none' | 'canceled' | 'old' | 'waiting' | 'invoiced' | 'free' | 'paid';

/** Odoo's `date.min`, which the partner computation substitutes for an empty date. */
export const DATE_MIN: IsoDate = '0001-01-01';

/** The account.move a membership line was invoiced on (account_invoice_line.move_id). */
export interface InvoiceFacts {
  /** account_move.state: 'draft' | 'posted' | 'cancel'. */
  state: string;
  /** account_move.payment_state: 'not_paid' | 'in_payment' | 'paid' | 'partial' | 'reversed' | 'invoicing_legacy'. */
  paymentState: string | null;
  /** Whether another move reverses this one (account_move.reversed_entry_id points at it). */
  reversed: boolean;
}

/** One membership_membership_line as the partner computation reads it. */
export interface MemberLineFacts {
  id: number;
  /** The line's stored state (null = Odoo's False). */
  state: MembershipState | null;
  dateFrom: IsoDate | null;
  dateTo: IsoDate | null;
  dateCancel: IsoDate | null;
  /** null when the line has no invoice (lines the sidecar grants, or an invoice line deleted since). */
  invoice: InvoiceFacts | null;
  /** A spend tier the sidecar granted (member_transaction_amount_total set): see ownMembershipState. */
  tier?: boolean;
}

/**
 * membership.membership_line._compute_state: the line's state from its invoice. A line
 * without an invoice computes to 'none' in Odoo; this is why the sidecar's own lines ('free')
 * carry no invoice and are never recomputed by Odoo (nothing they depend on ever changes).
 */
export function lineState(invoice: InvoiceFacts | null): MembershipState {
  if (!invoice) return 'none';
  if (invoice.state === 'draft') return 'waiting';
  if (invoice.state === 'cancel') return 'canceled';
  if (invoice.state !== 'posted') return 'none';
  switch (invoice.paymentState) {
    case 'paid':
      return invoice.reversed ? 'canceled' : 'paid';
    case 'in_payment':
      return 'paid';
    case 'not_paid':
    case 'partial':
      return 'invoiced';
    default:
      return 'none';
  }
}

/** What res.partner stores for membership (the four computed columns). */
export interface PartnerMembership {
  state: MembershipState | null;
  start: IsoDate | null;
  stop: IsoDate | null;
  cancel: IsoDate | null;
}

/** The partner as res.partner._compute_membership_state reads it. */
export interface PartnerFacts {
  freeMember: boolean;
  /** The state stored before this computation: Odoo's compute reads it (see partnerMembership). */
  previousState: MembershipState | null;
  /** associate_member, or null. */
  associateId: number | null;
}

/** Lowest non-empty value in ascending order, as `ORDER BY col LIMIT 1` (PostgreSQL puts NULLs last). */
function firstAscending(values: Array<IsoDate | null>): IsoDate | null {
  let best: IsoDate | null = null;
  for (const v of values) if (v !== null && (best === null || v < best)) best = v;
  return best;
}

/** `ORDER BY col DESC LIMIT 1`: PostgreSQL puts NULLs first in descending order, so one empty value wins. */
function firstDescending(values: Array<IsoDate | null>): IsoDate | null {
  if (values.length === 0 || values.some((v) => v === null)) return null;
  return values.reduce((a, b) => ((a as string) > (b as string) ? a : b));
}

/** Whether a line's period covers today (empty dates read as date.min, as Odoo reads them). */
const coversToday = (line: MemberLineFacts, today: IsoDate) => (line.dateTo ?? DATE_MIN) >= today && (line.dateFrom ?? DATE_MIN) <= today;

/**
 * The partner's own state (the part of _compute_membership_state that does not follow an
 * associate). Odoo walks the partner's lines newest first (the one2many follows the line
 * model's `_order = 'id desc'`) and stops at the first line that covers today or that ended
 * before today. An ended line gives 'old' when its invoice is paid, 'canceled' when its
 * invoice is cancelled, and otherwise leaves the stored state as it was: Odoo assigns
 * nothing in that branch. That is a real Odoo 17 behaviour (a free line that has ended keeps
 * the partner 'free'), reproduced on purpose. date_cancel plays no part in the state.
 *
 * One addition, which the bridge addon makes Odoo compute too: a spend tier never displaces
 * a membership bought on an invoice. When the deciding line is a tier the sidecar granted and
 * a line with an invoice covers today, the newest such line decides (a paying member stays
 * 'paid'; the tier line stays, and the engine still applies the tier).
 */
export function ownMembershipState(
  partner: Pick<PartnerFacts, 'freeMember' | 'previousState'>,
  ownLines: MemberLineFacts[],
  today: IsoDate,
): MembershipState | null {
  if (partner.freeMember && partner.previousState !== 'paid') return 'free';
  const newestFirst = [...ownLines].sort((a, b) => b.id - a.id);
  const deciding = newestFirst.find((line) => {
    const from = line.dateFrom ?? DATE_MIN;
    const to = line.dateTo ?? DATE_MIN;
    return coversToday(line, today) || (from < today && to <= today && from < to);
  });
  if (!deciding) return 'none';
  const bought = deciding.tier && !partner.freeMember ? newestFirst.find((l) => l.invoice !== null && coversToday(l, today)) : undefined;
  if (bought) return bought.state;
  if (coversToday(deciding, today)) return deciding.state;
  const inv = deciding.invoice;
  if (inv && (inv.paymentState === 'in_payment' || inv.paymentState === 'paid')) return 'old';
  if (inv && inv.state === 'cancel') return 'canceled';
  return partner.previousState;
}

/**
 * res.partner._compute_membership_state for one partner.
 * - start/stop come from the lines of the associate member when there is one, else the
 *   partner's own, leaving out lines with a cancel date;
 * - cancel comes from the partner's own lines only;
 * - state: an associate member takes the associate's (already computed) state; otherwise
 *   ownMembershipState.
 */
export function partnerMembership(
  partner: PartnerFacts,
  ownLines: MemberLineFacts[],
  associate: { lines: MemberLineFacts[]; state: MembershipState | null } | null,
  today: IsoDate,
): PartnerMembership {
  const datedLines = (partner.associateId !== null ? associate?.lines ?? [] : ownLines).filter((l) => l.dateCancel === null);
  const start = firstAscending(datedLines.map((l) => l.dateFrom));
  const stop = firstDescending(datedLines.map((l) => l.dateTo));
  const cancel = firstAscending(ownLines.map((l) => l.dateCancel));
  const state = partner.associateId !== null ? associate?.state ?? null : ownMembershipState(partner, ownLines, today);
  return { state, start, stop, cancel };
}

// ---------------------------------------------------------------------------------------
// Spend tiers

/** A tier: a membership product with the sidecar's qualifying spend, window and rank. */
export interface Tier {
  /** product_product id (what membership lines and programs point at). */
  productId: number;
  rank: number;
  /** Spend within the window needed to qualify. */
  minAmount: number;
  /** The window, in days up to now, over which spend is summed. */
  windowDays: number;
  /** product_template.membership_date_from / _to: the membership period Odoo sells. */
  periodFrom: IsoDate | null;
  periodTo: IsoDate | null;
}

export type DowngradePolicy = 'period_end' | 'immediate';

/** The open line the sidecar granted earlier (no cancel date, covering today). */
export interface GrantedLine {
  id: number;
  productId: number;
  rank: number;
}

export interface TierInput {
  tiers: Tier[];
  /** Qualifying spend for a window of N days (refunds already subtracted). */
  spend: (windowDays: number) => number;
  /** The sidecar line currently in force, or null. */
  granted: GrantedLine | null;
  /** Highest rank the partner holds through memberships bought on an invoice (or null). */
  heldRank: number | null;
  today: IsoDate;
  policy: DowngradePolicy;
}

export interface TierDecision {
  /** The tier the partner's spend earns and the sidecar should grant (null: none, or already held by invoice). */
  earned: Tier | null;
  /** The spend that qualified `earned` (its window's total), else 0. */
  spend: number;
  /** Close the granted line today (date_cancel). */
  closeGranted: boolean;
  /** Open a line for this tier today, or null. */
  open: Tier | null;
}

/** Whether the tier's membership period (the product's dates) includes today. */
export function tierOnSale(tier: Tier, today: IsoDate): boolean {
  return (tier.periodFrom === null || tier.periodFrom <= today) && (tier.periodTo === null || tier.periodTo >= today);
}

/** Tiers best first: by rank, then the higher threshold, then the lower id (a stable order). */
export function byRankDesc(a: Tier, b: Tier): number {
  return b.rank - a.rank || b.minAmount - a.minAmount || a.productId - b.productId;
}

/**
 * What the spend earns and what happens to the granted line. Upgrades take effect at once
 * (the granted line is closed and the better one opened); a lower or no tier replaces the
 * granted line only under the 'immediate' policy, otherwise the granted line runs to its
 * end date and the next evaluation after that grants what is then earned. A tier the
 * partner already holds (or outranks) through an invoice-bought membership is not granted
 * again.
 */
export function decideTier(input: TierInput): TierDecision {
  const winner = input.tiers
    .filter((t) => tierOnSale(t, input.today))
    .sort(byRankDesc)
    .find((t) => input.spend(t.windowDays) >= t.minAmount);
  const earned = winner && (input.heldRank === null || winner.rank > input.heldRank) ? winner : null;
  const spend = earned ? input.spend(earned.windowDays) : 0;
  const granted = input.granted;
  if (!granted) return { earned, spend, closeGranted: false, open: earned };
  if (earned && earned.rank > granted.rank) return { earned, spend, closeGranted: true, open: earned };
  const lower = !earned || earned.rank < granted.rank;
  if (lower && input.policy === 'immediate') return { earned, spend, closeGranted: true, open: earned };
  return { earned, spend, closeGranted: false, open: null };
}

/**
 * The period of a line granted today: from today to the end of the product's membership
 * period (as Odoo dates an invoiced membership bought mid-period), or one window long when
 * the product has no period.
 */
export function grantPeriod(tier: Tier, today: IsoDate): { dateFrom: IsoDate; dateTo: IsoDate } {
  return { dateFrom: today, dateTo: tier.periodTo ?? addDays(today, tier.windowDays - 1) };
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const t = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * Tier gate of a loyalty program: a program linked to a tier applies only to partners whose
 * current tier ranks at least as high. `partnerRank` is null for a partner in no tier.
 */
export function passesTierGate(programTierRank: number | null, partnerRank: number | null): boolean {
  if (programTierRank === null) return true;
  return partnerRank !== null && partnerRank >= programTierRank;
}

/** Line states that make a partner a member (Odoo's "Invoiced", "Paid" and "Free" members). */
export const MEMBER_STATES: ReadonlySet<MembershipState> = new Set(['invoiced', 'paid', 'free']);

/**
 * Whether a line makes its partner a member today: its period covers today (empty dates
 * read as date.min, as Odoo reads them), it is not cancelled on or before today, and its
 * state is a member state.
 */
export function lineInForce(line: Pick<MemberLineFacts, 'state' | 'dateFrom' | 'dateTo' | 'dateCancel'>, today: IsoDate): boolean {
  return (
    (line.dateFrom ?? DATE_MIN) <= today &&
    (line.dateTo ?? DATE_MIN) >= today &&
    (line.dateCancel === null || line.dateCancel > today) &&
    line.state !== null &&
    MEMBER_STATES.has(line.state)
  );
}

/** The highest tier rank among lines in force (null: in no tier). `rankOf` maps a membership product to its rank. */
export function highestRank(
  lines: Array<Pick<MemberLineFacts, 'state' | 'dateFrom' | 'dateTo' | 'dateCancel'> & { productId: number }>,
  rankOf: (productId: number) => number | undefined,
  today: IsoDate,
): number | null {
  let best: number | null = null;
  for (const l of lines) {
    const rank = rankOf(l.productId);
    if (rank !== undefined && lineInForce(l, today) && (best === null || rank > best)) best = rank;
  }
  return best;
}

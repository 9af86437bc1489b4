import { applyReward, claimableRewards, Claimable } from './claims';
import { tryApplyCode } from './codes';
import { EngineError, EngineMessage } from './messages';
import { OrderLine, OrderState } from './order';
import { roundDigits, roundMoney } from './round';
import { Catalog, ClaimInput, OrderContext, OrderInput } from './types';
import { updateProgramsAndRewards } from './update';

/** One line of the answer; reward lines say which reward and card they come from. */
export interface PreviewLine {
  product_id: number;
  qty: number;
  price_unit: number;
  discount: number;
  tax_ids: number[];
  price_subtotal: number;
  price_total: number;
  is_reward_line: boolean;
  reward_id: number | false;
  coupon_id: number | false;
  points_cost: number;
  name: string;
}

export interface PreviewPoints {
  program_id: number;
  /** false: a card the order would create. */
  coupon_id: number | false;
  won: number;
  spent: number;
  balance_before: number;
  balance_after: number;
}

export interface PreviewClaimable {
  reward_id: number;
  program_id: number;
  coupon_id: number | false;
}

export interface PreviewResult {
  lines: PreviewLine[];
  amount_untaxed: number;
  amount_tax: number;
  amount_total: number;
  points: PreviewPoints[];
  claimable: PreviewClaimable[];
  claimable_after: PreviewClaimable[];
  errors: { code: string; message: string; input: string }[];
  code_results: { code: string; ok: boolean }[];
}

/** The order after the recorded flow: codes, update, claims, update (see the README's "Engine cases"). */
export interface FlowOutcome {
  state: OrderState;
  /** claims refused (only when the flow was asked to skip them instead of failing). */
  refused: ClaimInput[];
  claimable: Claimable[];
  errors: { message: EngineMessage; input: string }[];
  codeResults: { code: string; ok: boolean }[];
}

/**
 * Runs sale_loyalty's flow on an order: the codes in order, one update, the claims in order
 * (each must be claimable at that point, or the whole preview is refused), one update.
 */
export function runFlow(catalog: Catalog, ctx: OrderContext, input: OrderInput, onRefused: 'throw' | 'skip' = 'throw'): FlowOutcome {
  const state = new OrderState(catalog, ctx);
  for (const l of input.lines) {
    state.addLine({
      // Stored as Odoo's float fields store them (2 digits, float_round's exact result).
      productId: l.productId, qty: roundDigits(l.qty, 2), priceUnit: roundDigits(l.priceUnit, 2), discount: roundDigits(l.discount, 2), taxIds: l.taxIds,
      rewardId: null, couponId: null, rewardCode: null, pointsCost: 0, name: catalog.products.get(l.productId)?.name ?? '',
    });
  }
  const errors: FlowOutcome['errors'] = [];
  const codeResults: FlowOutcome['codeResults'] = [];
  for (const code of input.codes) {
    const refusal = tryApplyCode(state, code);
    if (refusal) errors.push({ message: refusal, input: code });
    codeResults.push({ code, ok: !refusal });
  }
  updateProgramsAndRewards(state);
  const claimable = claimableRewards(state);
  const refused: ClaimInput[] = [];
  for (const claim of input.claims) {
    try {
      claimReward(state, claim);
    } catch (e) {
      if (onRefused === 'throw' || !(e instanceof EngineError)) throw e;
      refused.push(claim);
    }
  }
  updateProgramsAndRewards(state);
  return { state, refused, claimable, errors, codeResults };
}

/** One claim, only while it is claimable. */
function claimReward(state: OrderState, claim: ClaimInput): void {
  const reward = state.catalog.rewardsById.get(claim.rewardId);
  if (!reward) throw new EngineError('reward_not_claimable', `Reward ${claim.rewardId} does not exist.`);
  const cardId = claim.couponId ?? orderCardFor(state, reward.programId);
  const now = claimableRewards(state);
  if (cardId === null || !now.some((c) => c.rewardId === reward.id && c.cardId === cardId)) {
    throw new EngineError('reward_not_claimable', `The reward "${reward.description}" cannot be claimed on this order.`);
  }
  applyReward(state, reward, cardId, claim.productId);
}

/** The card this order itself creates for a program (a claim with coupon_id false). */
function orderCardFor(state: OrderState, programId: number): number | null {
  const created = [...state.newCards.values()].filter((c) => c.programId === programId).map((c) => c.id);
  return created.length ? Math.max(...created) : null;
}

export function preview(catalog: Catalog, ctx: OrderContext, input: OrderInput): PreviewResult {
  const outcome = runFlow(catalog, ctx, input);
  return answer(outcome);
}

/** Points are unrounded floats in Odoo too; this only drops binary noise (0.7000000000000028). */
const tidy = (v: number): number => {
  // Most values have at most six decimals and stay under a million: they are already what
  // toPrecision(12) would give back (the nearest double to k/10^6 prints as k/10^6), and
  // formatting and parsing every figure of every answer is a tenth of a preview's time.
  if (v === 0) return 0; // -0 too, as toPrecision gives it
  // What is left of a difference of equal figures (340 + 0 - 340.00000000000011): nothing.
  if (Math.abs(v) < 1e-9) return 0;
  if (Math.abs(v) < 1e6 && Math.round(v * 1e6) / 1e6 === v) return v;
  return Number(v.toPrecision(12));
};
const cardRef = (id: number): number | false => (id < 0 ? false : id);

function answer({ state, claimable, errors, codeResults }: FlowOutcome): PreviewResult {
  const money = (v: number) => roundMoney(v, state.catalog.currencyRounding);
  const totals = state.totals();
  const lines = state.lines.map((l) => previewLine(state, l, money));
  const points = state.touchedCards().map((id) => {
    const card = state.card(id);
    const won = state.won(id);
    const spent = state.spent(id);
    return {
      program_id: card.programId, coupon_id: cardRef(id), won: tidy(won), spent: tidy(spent),
      balance_before: card.points, balance_after: tidy(card.points + won - spent),
    };
  });
  const toWire = (c: Claimable): PreviewClaimable => ({ reward_id: c.rewardId, program_id: c.programId, coupon_id: cardRef(c.cardId) });
  return {
    lines,
    amount_untaxed: money(totals.untaxed),
    amount_tax: money(totals.tax),
    amount_total: money(totals.total),
    points,
    claimable: claimable.map(toWire),
    claimable_after: claimableRewards(state).map(toWire),
    errors: errors.map((e) => ({ code: e.message.code, message: e.message.message, input: e.input })),
    code_results: codeResults,
  };
}

function previewLine(state: OrderState, l: OrderLine, money: (v: number) => number): PreviewLine {
  const a = state.amounts(l);
  return {
    product_id: l.productId,
    qty: l.qty,
    // As the database would hand it back: 2 digits, without float_round's last-ulp residue.
    price_unit: Number(l.priceUnit.toFixed(2)),
    discount: l.discount,
    tax_ids: [...l.taxIds].sort((x, y) => x - y),
    price_subtotal: money(a.subtotal),
    price_total: money(a.total),
    is_reward_line: l.rewardId !== null,
    reward_id: l.rewardId ?? false,
    coupon_id: l.couponId === null ? false : cardRef(l.couponId),
    points_cost: tidy(l.pointsCost),
    name: l.name,
  };
}

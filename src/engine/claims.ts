import { EngineError, MESSAGES } from './messages';
import { isGlobalDiscount, isNominative, isPaymentProgram, OrderState } from './order';
import { isZero } from './round';
import { rewardValues, writeIntoPool } from './rewardlines';
import { resetLine } from './update';
import { Reward } from './types';

export interface Claimable {
  rewardId: number;
  programId: number;
  /** card id; negative: a card this order creates. */
  cardId: number;
}

/** The global discount (percent on the whole order) currently on the order, if any. */
function appliedGlobalDiscount(state: OrderState): Reward | null {
  const line = state.lines.find((l) => l.rewardId !== null && isGlobalDiscount(state.reward(l.rewardId)));
  return line ? state.reward(line.rewardId!) : null;
}

/**
 * _get_claimable_rewards: for every card on the order (earning, spending or attached), each
 * reward of its program that its usable points cover, except a global discount no better
 * than the one applied, discounts on a zero total (unless paying it off), a non-payment
 * discount already applied, and free products that are all archived.
 */
export function claimableRewards(state: OrderState, onlyCards?: number[]): Claimable[] {
  const cards = onlyCards ?? state.touchedCards();
  const hasPayment = state.lines.some((l) => l.rewardId !== null && isPaymentProgram(state.program(state.reward(l.rewardId).programId)));
  const totalIsZero = isZero(state.totals().total, 2);
  const global = appliedGlobalDiscount(state);
  const appliedRewards = new Set(state.lines.filter((l) => l.rewardId !== null).map((l) => l.rewardId!));
  const out: Claimable[] = [];
  for (const cardId of cards) {
    const points = state.realPoints(cardId);
    const program = state.cardProgram(cardId);
    const payment = isPaymentProgram(program);
    for (const reward of program.rewards) {
      if (isGlobalDiscount(reward) && global && global.discount >= reward.discount) continue;
      const isDiscount = reward.rewardType === 'discount';
      if (isDiscount && totalIsZero && (!hasPayment || payment)) continue;
      if (isDiscount && !payment && appliedRewards.has(reward.id)) continue;
      if (reward.rewardType === 'product' && !reward.hasActiveProduct) continue;
      if (points >= reward.requiredPoints) out.push({ rewardId: reward.id, programId: program.id, cardId });
    }
  }
  return out;
}

/**
 * _apply_program_reward: adds the reward's lines, after the checks Odoo makes (a better global
 * discount, a card created by this order for a future program, not enough points).
 */
export function applyReward(state: OrderState, reward: Reward, cardId: number, productId: number | null): void {
  let oldLines: typeof state.lines = [];
  if (isGlobalDiscount(reward)) {
    const globalLines = state.lines.filter((l) => l.rewardId !== null && isGlobalDiscount(state.reward(l.rewardId)));
    const global = globalLines.length ? state.reward(globalLines[0].rewardId!) : null;
    if (global && global.id !== reward.id && global.discount >= reward.discount) {
      const m = MESSAGES.betterGlobal();
      throw new EngineError(m.code, m.message);
    }
    if (global && global.id !== reward.id) {
      // The worse global discount gives way; its lines are reused by the better one.
      for (const l of globalLines) resetLine(l, true);
      oldLines = globalLines;
    }
  }
  const program = state.program(reward.programId);
  if (!isNominative(program) && program.appliesOn === 'future' && state.couponPoints.has(cardId)) {
    const m = MESSAGES.futureOnly();
    throw new EngineError(m.code, m.message);
  }
  if (state.realPoints(cardId) < reward.requiredPoints) {
    const m = MESSAGES.notEnoughPoints();
    throw new EngineError(m.code, m.message);
  }
  const values = rewardValues(state, reward, cardId, productId);
  const left = writeIntoPool(state, values, oldLines);
  state.removeLines(left);
}

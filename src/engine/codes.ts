import { programAvailable, usageLimitReached } from './applicability';
import { EngineMessage, MESSAGES } from './messages';
import { isNominative, OrderState, unique } from './order';
import { checkComputePoints } from './points';
import { applyProgramPoints, updateProgramsAndRewards } from './update';
import { Program, Rule } from './types';

/** The active code rule of an available program with exactly this code (case-sensitive). */
function findCodeRule(state: OrderState, code: string): Rule | null {
  for (const p of state.catalog.programs.values()) {
    if (!programAvailable(p, state.ctx)) continue;
    const rule = p.rules.find((r) => r.mode === 'with_code' && r.code === code);
    if (rule) return rule;
  }
  return null;
}

/**
 * _try_apply_program: checks availability and applicability now, then gives the program its
 * card(s) on the order.
 */
function tryApplyProgram(state: OrderState, program: Program, cardId: number | null): { error?: EngineMessage; alreadyApplied?: boolean } {
  if (!programAvailable(program, state.ctx)) return { error: MESSAGES.notAvailable() };
  if (unique([...state.pointsPrograms(), ...state.rewardPrograms()]).includes(program.id)) {
    return { error: MESSAGES.programAlreadyApplied(), alreadyApplied: true };
  }
  const status = checkComputePoints(state, [program]).get(program.id)!;
  if (!status.ok) return { error: { code: status.code, message: status.message } };
  const applied = applyProgramPoints(state, program, cardId, status.points);
  if (applied.error) return { error: MESSAGES.noCardNoPoints() };
  return {};
}

/**
 * _try_apply_code: a code is a rule's code (enables the rule) or a card's code (attaches the
 * card). Returns the refusal, or null when the code was taken.
 */
export function tryApplyCode(state: OrderState, code: string): EngineMessage | null {
  const rule = findCodeRule(state, code);
  let program: Program | null = rule ? state.program(rule.programId) : null;
  let cardId: number | null = null;
  if (rule && state.codeEnabledRules.has(rule.id)) return MESSAGES.alreadyApplied();
  if (!program) {
    const card = [...state.catalog.cards.values()].find((c) => c.code === code);
    const cp = card ? state.catalog.programs.get(card.programId) : undefined;
    if (!card || !cp || !cp.active || !cp.rewards.length || !programAvailable(cp, state.ctx)) return MESSAGES.codeInvalid(code);
    if (card.expirationDate && card.expirationDate < state.ctx.today) return MESSAGES.couponExpired();
    if (card.points < Math.min(...cp.rewards.map((r) => r.requiredPoints))) return MESSAGES.couponUsed();
    program = cp;
    cardId = card.id;
  }
  if (!program.active) return MESSAGES.codeInvalid(code);
  if (usageLimitReached(program)) return MESSAGES.usageLimit(code);
  if (rule) state.codeEnabledRules.add(rule.id);
  const alreadyGivingPoints = state.pointsPrograms().includes(program.id);
  if (cardId !== null && !state.appliedCoupons.includes(cardId)) state.appliedCoupons.push(cardId);
  if (alreadyGivingPoints) {
    updateProgramsAndRewards(state);
  } else if (program.appliesOn !== 'future' || cardId === null) {
    const result = tryApplyProgram(state, program, cardId);
    if (result.error && (!isNominative(program) || cardId === null)) {
      if (rule) state.codeEnabledRules.delete(rule.id);
      if (cardId !== null && !result.alreadyApplied) state.appliedCoupons = state.appliedCoupons.filter((c) => c !== cardId);
      return result.error;
    }
  }
  return null;
}

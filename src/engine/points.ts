import { matches } from './applicability';
import { EngineErrorCode, formatMinimumAmount } from './messages';
import { isNominative, OrderState } from './order';
import { floatRound } from './round';
import { Program, Rule } from './types';

/** What _program_check_compute_points says about one program on this order. */
export type ProgramStatus =
  | { ok: true; points: number[] }
  | { ok: false; code: EngineErrorCode; message: string };

/**
 * Applicability and points per program. points[0] is what the order gives one card; further
 * entries are extra cards of future programs that split per unit (gift cards: one per unit).
 */
export function checkComputePoints(state: OrderState, programs: Program[]): Map<number, ProgramStatus> {
  const rounding = state.catalog.currencyRounding;
  // Quantities count only the lines the customer ordered, never reward lines.
  const qtyByProduct = new Map<number, number>();
  for (const line of state.lines) {
    if (line.rewardId !== null) continue;
    qtyByProduct.set(line.productId, (qtyByProduct.get(line.productId) ?? 0) + line.qty);
  }
  const amounts = state.lines.map((l) => state.amounts(l));
  const result = new Map<number, ProgramStatus>();
  for (const program of programs) {
    let codeMatched = program.rules.length === 0 && program.appliesOn === 'current';
    let minimumAmountMatched = codeMatched;
    let productQtyMatched = codeMatched;
    let points = 0;
    const splitPoints: number[] = [];
    for (const rule of program.rules) {
      // An eWallet without trigger products would let anyone top up for free.
      if (program.programType === 'ewallet' && !program.rules.some((r) => r.hasProductIds)) break;
      if (rule.mode === 'with_code' && !state.codeEnabledRules.has(rule.id)) continue;
      codeMatched = true;
      let untaxed = 0;
      let tax = 0;
      for (let i = 0; i < state.lines.length; i++) {
        const line = state.lines[i];
        if (!countsForMinimum(state, program, line.rewardId) || !matches(rule.products, line.productId)) continue;
        untaxed += amounts[i].subtotal;
        tax += amounts[i].tax;
      }
      const reached = rule.minimumAmountTaxMode === 'incl' && untaxed + tax ? untaxed + tax : untaxed;
      if (rule.minimumAmount > reached) continue;
      minimumAmountMatched = true;
      // The rule's products on the order and their quantity (summed in the order's product order).
      let ruleProducts = 0;
      let qty = 0;
      for (const [product, q] of qtyByProduct) {
        if (!matches(rule.products, product)) continue;
        ruleProducts++;
        qty += q;
      }
      if (!ruleProducts) continue;
      if (qty < rule.minimumQty) continue;
      productQtyMatched = true;
      if (!rule.rewardPointAmount) continue;
      if (program.appliesOn === 'future' && rule.rewardPointSplit && rule.rewardPointMode !== 'order') {
        splitPoints.push(...splitRulePoints(state, rule, amounts.map((a) => a.total), qty));
      } else if (rule.rewardPointMode === 'order') {
        points += rule.rewardPointAmount;
      } else if (rule.rewardPointMode === 'unit') {
        points += rule.rewardPointAmount * qty;
      } else {
        // Money spent on the rule's products, after other programs' discounts; payments and
        // this program type's own rewards do not count.
        let paid = 0;
        for (let i = 0; i < state.lines.length; i++) {
          const line = state.lines[i];
          const lp = state.lineProgram(line);
          if (lp && (lp.programType === 'ewallet' || lp.programType === 'gift_card' || lp.programType === program.programType)) continue;
          if (matches(rule.products, line.productId)) paid += amounts[i].total;
        }
        points += floatRound(rule.rewardPointAmount * paid, rounding, 'DOWN');
      }
    }
    if (!isNominative(program)) {
      if (!codeMatched) {
        result.set(program.id, { ok: false, code: 'code_required', message: 'This program requires a code to be applied.' });
        continue;
      }
      if (!minimumAmountMatched) {
        const min = Math.min(...program.rules.map((r) => r.minimumAmount));
        result.set(program.id, {
          ok: false,
          code: 'minimum_amount_not_reached',
          message: `A minimum of ${formatMinimumAmount(min)} ${state.catalog.currencyName} should be purchased to get the reward`,
        });
        continue;
      }
      if (!productQtyMatched) {
        result.set(program.id, {
          ok: false,
          code: 'minimum_quantity_not_reached',
          message: "You don't have the required product quantities on your sales order.",
        });
        continue;
      }
    }
    result.set(program.id, { ok: true, points: [points, ...splitPoints] });
  }
  return result;
}

/**
 * Lines that count toward a rule's minimum amount: every line except discounts of automatic
 * programs and the program's own discounts.
 */
function countsForMinimum(state: OrderState, program: Program, rewardId: number | null): boolean {
  if (rewardId === null) return true;
  const reward = state.reward(rewardId);
  if (reward.rewardType !== 'discount') return true;
  const rp = state.program(reward.programId);
  return rp.trigger !== 'auto' && rp.id !== program.id;
}

/** Split per unit (future programs): one entry per whole unit. */
function splitRulePoints(state: OrderState, rule: Rule, totals: number[], qty: number): number[] {
  const out: number[] = [];
  if (rule.rewardPointMode === 'unit') {
    for (let i = 0; i < Math.trunc(qty); i++) out.push(rule.rewardPointAmount);
    return out;
  }
  state.lines.forEach((line, i) => {
    if (line.rewardId !== null || !matches(rule.products, line.productId) || line.qty <= 0) return;
    const perUnit = floatRound((rule.rewardPointAmount * totals[i]) / line.qty, 0.01, 'DOWN');
    if (!perUnit) return;
    for (let k = 0; k < Math.trunc(line.qty); k++) out.push(perUnit);
  });
  return out;
}

import { matches } from './applicability';
import { computeAll } from './taxes';
import { isPaymentProgram, nonFixedTaxKey, OrderLine, OrderState } from './order';
import { Reward } from './types';

/**
 * How much a discount reward may take off, in total and per group of lines sharing the same
 * non-fixed taxes (each group becomes one discount line carrying those taxes).
 */
export interface Discountable {
  total: number;
  /** tax key ("1,5") → amount, in first-seen order. */
  perTax: Map<string, number>;
}

const addTo = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);

/** A discount on the whole order: every priced line, earlier reward lines included. */
export function discountableOrder(state: OrderState, reward: Reward): Discountable {
  const payment = isPaymentProgram(state.program(reward.programId));
  const perTax = new Map<string, number>();
  let total = 0;
  for (const line of state.lines) {
    if (!line.qty || !line.priceUnit) continue;
    const price = line.priceUnit * (1 - (line.discount || 0) / 100);
    const detail = computeAll(state.taxes(line.taxIds), price, line.qty, state.catalog.currencyRounding);
    // Payments may cover every tax; other discounts leave fixed taxes alone.
    const keyTaxes = state.taxes(line.taxIds).filter((t) => payment || t.amountType !== 'fixed').map((t) => t.id);
    const inKey = new Set(keyTaxes);
    total += detail.totalExcluded + detail.taxes.filter((t) => inKey.has(t.id)).reduce((s, t) => s + t.amount, 0);
    const linePrice = line.priceUnit * line.qty * (1 - (line.discount || 0) / 100);
    const includedOutside = detail.taxes.filter((t) => t.priceInclude && !inKey.has(t.id)).reduce((s, t) => s + t.amount, 0);
    addTo(perTax, [...keyTaxes].sort((a, b) => a - b).join(','), linePrice - includedOutside);
  }
  return { total, perTax };
}

/** The non-reward line with the lowest unit price (the first one on ties). */
export function cheapestLine(state: OrderState): OrderLine | null {
  let cheapest: OrderLine | null = null;
  for (const line of state.lines) {
    if (line.rewardId !== null || !line.qty || !line.priceUnit) continue;
    if (!cheapest || cheapest.priceUnit > line.priceUnit) cheapest = line;
  }
  return cheapest;
}

/** The cheapest line: its whole total counts, but one unit's price for the tax group. */
export function discountableCheapest(state: OrderState): Discountable | null {
  const line = cheapestLine(state);
  if (!line) return null;
  const perTax = new Map<string, number>();
  perTax.set(nonFixedTaxKey(state, line.taxIds), line.priceUnit * (1 - (line.discount || 0) / 100));
  return { total: state.amounts(line).total, perTax };
}

/** Lines a 'specific' reward covers: non-reward lines of the reward's products. */
export function specificLines(state: OrderState, reward: Reward): OrderLine[] {
  return state.lines.filter((l) => l.rewardId === null && matches(reward.discountProducts, l.productId));
}

/**
 * Specific products: each covered line's total, first reduced by the discounts already on the
 * order, so that stacked discounts never take a line below zero. A percent discount scales the
 * lines it covered; a fixed one consumes its per-tax amounts line by line.
 */
export function discountableSpecific(state: OrderState, reward: Reward): Discountable {
  const remaining = new Map<OrderLine, number>();
  const toDiscount: OrderLine[] = [];
  const discountGroups = new Map<number, OrderLine[]>();
  for (const line of state.lines) {
    const total = state.amounts(line).total;
    if (!line.qty || !total) continue;
    remaining.set(line, total);
    if (line.rewardId === null && matches(reward.discountProducts, line.productId)) toDiscount.push(line);
    else if (line.rewardId !== null && state.reward(line.rewardId).rewardType === 'discount') {
      const group = discountGroups.get(line.rewardCode!) ?? [];
      group.push(line);
      discountGroups.set(line.rewardCode!, group);
    }
  }
  const plainLines = state.lines.filter((l) => l.rewardId === null);
  const rem = (l: OrderLine) => remaining.get(l) ?? 0;
  for (const group of discountGroups.values()) {
    const lineReward = state.reward(group[0].rewardId!);
    let covered: OrderLine[] = plainLines;
    if (lineReward.discountApplicability === 'cheapest') {
      const c = cheapestLine(state);
      covered = c ? [c] : [];
    } else if (lineReward.discountApplicability === 'specific') {
      covered = specificLines(state, lineReward);
    }
    if (!covered.length) continue;
    if (lineReward.discountMode === 'percent') {
      for (const line of covered) {
        const factor = lineReward.discountApplicability === 'cheapest' ? 1 - lineReward.discount / 100 / line.qty : 1 - lineReward.discount / 100;
        if (remaining.has(line)) remaining.set(line, rem(line) * factor);
      }
      continue;
    }
    const payment = isPaymentProgram(state.program(lineReward.programId));
    const amounts = new Map<string, number>();
    for (const l of group) amounts.set(nonFixedTaxKey(state, l.taxIds), Math.abs(state.amounts(l).total));
    const groupKey = nonFixedTaxKey(state, [...new Set(group.flatMap((l) => l.taxIds))]);
    const toDiscountSet = new Set(toDiscount);
    const ordered = [...covered.filter((l) => !toDiscountSet.has(l)), ...covered.filter((l) => toDiscountSet.has(l))];
    for (const line of ordered) {
      const key = payment ? groupKey : nonFixedTaxKey(state, line.taxIds);
      // Odoo 17 raises KeyError here when the line's tax set has no line in that discount;
      // such a discount took nothing from this tax group, so nothing is consumed.
      const available = amounts.get(key) ?? 0;
      if (available === 0) continue;
      const consumed = Math.min(rem(line), available);
      amounts.set(key, available - consumed);
      remaining.set(line, rem(line) - consumed);
    }
  }
  let total = 0;
  const perTax = new Map<string, number>();
  for (const line of toDiscount) {
    total += rem(line);
    const lineTotal = state.amounts(line).total;
    if (!lineTotal) continue;
    const base = line.priceUnit * line.qty * (1 - (line.discount || 0) / 100);
    addTo(perTax, nonFixedTaxKey(state, line.taxIds), base * (rem(line) / lineTotal));
  }
  return { total, perTax };
}

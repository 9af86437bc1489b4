import { floatRound } from './round';
import { computeAll, TaxResult } from './taxes';
import { Card, Catalog, OrderContext, Program, Reward, Tax } from './types';

/**
 * A sale order being worked on, as sale_loyalty keeps it: its lines (given and reward lines),
 * the points each card gets from it (coupon_point_ids), the cards entered or attached
 * (applied_coupon_ids), the rules enabled by codes, and the cards it would create.
 */
export interface OrderLine {
  /** creation rank: reward lines keep their place when they are reused. */
  seq: number;
  productId: number;
  qty: number;
  priceUnit: number;
  discount: number;
  taxIds: number[];
  rewardId: number | null;
  couponId: number | null;
  /** links the lines one claim produced (reward_identifier_code). */
  rewardCode: number | null;
  pointsCost: number;
  name: string;
}

export interface LineAmounts {
  subtotal: number;
  tax: number;
  total: number;
  detail: TaxResult;
}

export class OrderState {
  lines: OrderLine[] = [];
  /** coupon_point_ids: card id → points, in creation order. */
  couponPoints = new Map<number, number>();
  appliedCoupons: number[] = [];
  codeEnabledRules = new Set<number>();
  /** cards this order creates (negative ids); they exist only in the answer. */
  newCards = new Map<number, Card>();
  private readonly amountsMemo = new WeakMap<OrderLine, { priceUnit: number; qty: number; discount: number | undefined; taxIds: number[]; amounts: LineAmounts }>();
  private nextSeq = 1;
  private nextCardId = -1;
  private nextRewardCode = 1;

  constructor(readonly catalog: Catalog, readonly ctx: OrderContext) {}

  addLine(values: Omit<OrderLine, 'seq'>): OrderLine {
    const line = { ...values, seq: this.nextSeq++ };
    this.lines.push(line);
    return line;
  }

  newRewardCode(): number {
    return this.nextRewardCode++;
  }

  createCard(programId: number, partnerId: number | null): Card {
    const card: Card = { id: this.nextCardId--, programId, partnerId, points: 0, expirationDate: null, code: '' };
    this.newCards.set(card.id, card);
    return card;
  }

  deleteCard(id: number): void {
    this.newCards.delete(id);
    this.couponPoints.delete(id);
  }

  card(id: number): Card {
    const card = id < 0 ? this.newCards.get(id) : this.catalog.cards.get(id);
    if (!card) throw new Error(`card ${id} not loaded`);
    return card;
  }

  program(id: number): Program {
    const p = this.catalog.programs.get(id);
    if (!p) throw new Error(`program ${id} not loaded`);
    return p;
  }

  cardProgram(cardId: number): Program {
    return this.program(this.card(cardId).programId);
  }

  reward(id: number): Reward {
    const r = this.catalog.rewardsById.get(id);
    if (!r) throw new Error(`reward ${id} not loaded`);
    return r;
  }

  lineReward(line: OrderLine): Reward | null {
    return line.rewardId === null ? null : this.reward(line.rewardId);
  }

  lineProgram(line: OrderLine): Program | null {
    return line.rewardId === null ? null : this.program(this.reward(line.rewardId).programId);
  }

  taxes(ids: number[]): Tax[] {
    return ids.map((id) => {
      const t = this.catalog.taxes.get(id);
      if (!t) throw new Error(`tax ${id} not loaded`);
      return t;
    });
  }

  /** price_subtotal / price_tax / price_total of a line, taxes rounded per line. */
  amounts(line: OrderLine): LineAmounts {
    // Lines change while rewards are replayed: the memo holds what the amounts depend on.
    const memo = this.amountsMemo.get(line);
    if (memo && memo.priceUnit === line.priceUnit && memo.qty === line.qty && memo.discount === line.discount && sameIds(memo.taxIds, line.taxIds)) {
      return memo.amounts;
    }
    const price = line.priceUnit * (1 - (line.discount || 0) / 100);
    const detail = computeAll(this.taxes(line.taxIds), price, line.qty, this.catalog.currencyRounding);
    const amounts = { subtotal: detail.totalExcluded, tax: detail.totalIncluded - detail.totalExcluded, total: detail.totalIncluded, detail };
    this.amountsMemo.set(line, { priceUnit: line.priceUnit, qty: line.qty, discount: line.discount, taxIds: [...line.taxIds], amounts });
    return amounts;
  }

  totals(): { untaxed: number; tax: number; total: number } {
    let untaxed = 0;
    let tax = 0;
    for (const line of this.lines) {
      const a = this.amounts(line);
      untaxed += a.subtotal;
      tax += a.tax;
    }
    return { untaxed, tax, total: untaxed + tax };
  }

  rewardLines(): OrderLine[] {
    return this.lines.filter((l) => l.rewardId !== null);
  }

  removeLines(toRemove: Iterable<OrderLine>): void {
    const set = new Set(toRemove);
    this.lines = this.lines.filter((l) => !set.has(l));
  }

  /** Cards that earn points on this order (coupon_point_ids.coupon_id), in order. */
  pointCards(): number[] {
    return [...this.couponPoints.keys()];
  }

  /** Every card on the order: earning, spent by reward lines, or attached. */
  touchedCards(): number[] {
    return unique([...this.pointCards(), ...this.lines.filter((l) => l.couponId !== null).map((l) => l.couponId!), ...this.appliedCoupons]);
  }

  /** What this order gives a card. */
  won(cardId: number): number {
    return this.couponPoints.get(cardId) ?? 0;
  }

  /** What this order's reward lines cost a card. */
  spent(cardId: number): number {
    return this.lines.filter((l) => l.couponId === cardId).reduce((s, l) => s + l.pointsCost, 0);
  }

  /** Programs giving points on this order (_get_points_programs). */
  pointsPrograms(): number[] {
    return unique(this.pointCards().map((c) => this.card(c).programId));
  }

  /** Programs of the reward lines (_get_reward_programs). */
  rewardPrograms(): number[] {
    return unique(this.rewardLines().map((l) => this.reward(l.rewardId!).programId));
  }

  /**
   * _get_real_points_for_coupon: the card's balance, plus what this order gives it (unless it
   * only pays on future orders), minus what this order's reward lines already spend.
   */
  realPoints(cardId: number): number {
    const card = this.card(cardId);
    let points = card.points;
    if (this.program(card.programId).appliesOn !== 'future') points += this.couponPoints.get(cardId) ?? 0;
    for (const line of this.lines) if (line.couponId === cardId) points -= line.pointsCost;
    return floatRound(points, this.catalog.currencyRounding);
  }
}


export function unique<T>(items: Iterable<T>): T[] {
  return [...new Set(items)];
}

export const isNominative = (p: Program) => p.appliesOn === 'both' || (p.programType === 'ewallet' && p.appliesOn === 'future');
export const isPaymentProgram = (p: Program) => p.programType === 'gift_card' || p.programType === 'ewallet';
export const isGlobalDiscount = (r: Reward) => r.rewardType === 'discount' && r.discountApplicability === 'order' && r.discountMode === 'percent';

/** The non-fixed taxes of a line, as a key: discounts are split per this set. */
export function nonFixedTaxKey(state: OrderState, taxIds: number[]): string {
  return state.taxes(taxIds).filter((t) => t.amountType !== 'fixed').map((t) => t.id).sort((a, b) => a - b).join(',');
}

export function keyToTaxIds(key: string): number[] {
  return key === '' ? [] : key.split(',').map(Number);
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

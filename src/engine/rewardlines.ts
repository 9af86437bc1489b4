import { discountableCheapest, discountableOrder, discountableSpecific, Discountable } from './discounts';
import { EngineError, MESSAGES } from './messages';
import { isPaymentProgram, keyToTaxIds, OrderLine, OrderState } from './order';
import { floatRound, roundDigits } from './round';
import { Reward } from './types';

/**
 * The values a claimed reward writes on order lines. `priceUnit` undefined: the line takes its
 * product's list price (a free product); `discount` undefined: the line keeps the discount it
 * had (Odoo's discount rewards do not set it: the quirk described in update.ts, step 3).
 */
export interface RewardLineValues {
  productId: number;
  qty: number;
  priceUnit?: number;
  discount?: number;
  taxIds: number[];
  rewardId: number;
  couponId: number;
  pointsCost: number;
  rewardCode: number;
  name: string;
}

/** Taxes of a product for the order's company (no fiscal positions here). */
function productTaxes(state: OrderState, productId: number): number[] {
  const product = state.catalog.products.get(productId);
  if (!product) throw new Error(`product ${productId} not loaded`);
  return product.taxIds.filter((id) => {
    const t = state.catalog.taxes.get(id);
    return t && (t.companyId === null || t.companyId === state.ctx.companyId);
  });
}

/** A free product: as many times the reward's quantity as the card's points allow (clear wallet: once, for all points). */
export function productRewardValues(state: OrderState, reward: Reward, cardId: number, productId: number | null): RewardLineValues[] {
  const product = productId ?? reward.rewardProductIds[0];
  if (!product || !reward.rewardProductIds.includes(product)) {
    const m = MESSAGES.invalidProduct();
    throw new EngineError(m.code, m.message);
  }
  const points = state.realPoints(cardId);
  const count = reward.clearWallet ? 1 : floatRound(points / reward.requiredPoints, 1, 'DOWN');
  const cost = reward.clearWallet ? points : count * reward.requiredPoints;
  return [{
    productId: product,
    qty: reward.rewardProductQty * count,
    discount: 100,
    taxIds: productTaxes(state, product),
    rewardId: reward.id,
    couponId: cardId,
    pointsCost: cost,
    rewardCode: state.newRewardCode(),
    name: `Free Product - ${state.catalog.products.get(product)!.name}`,
  }];
}

function discountable(state: OrderState, reward: Reward): Discountable | null {
  if (reward.discountApplicability === 'order') return discountableOrder(state, reward);
  if (reward.discountApplicability === 'specific') return discountableSpecific(state, reward);
  return discountableCheapest(state);
}

/**
 * A discount: capped by discount_max_amount, by the order's total, and per mode (percent of
 * what is discountable, a fixed amount per order, or an amount per point the card can spend).
 * Payments (gift cards, eWallets) give one untaxed line; other discounts one line per tax group,
 * the points cost on the first line only.
 */
export function discountRewardValues(state: OrderState, reward: Reward, cardId: number): RewardLineValues[] {
  const program = state.program(reward.programId);
  const payment = isPaymentProgram(program);
  const d = discountable(state, reward);
  const product = reward.discountLineProductId;
  if (!d || !d.total) {
    if (!payment && state.lines.some((l) => l.rewardId !== null && isPaymentProgram(state.program(state.reward(l.rewardId).programId)))) {
      return [{
        productId: product, qty: 0, priceUnit: 0, taxIds: [], rewardId: reward.id, couponId: cardId,
        pointsCost: 0, rewardCode: state.newRewardCode(), name: 'TEMPORARY DISCOUNT LINE',
      }];
    }
    const m = MESSAGES.nothingToDiscount();
    throw new EngineError(m.code, m.message);
  }
  // Odoo passes these amounts through res.currency._convert, which rounds to the currency.
  const convert = (v: number) => floatRound(v, state.catalog.currencyRounding);
  let maxDiscount = convert(reward.discountMaxAmount) || Infinity;
  maxDiscount = Math.min(state.totals().total, maxDiscount);
  if (reward.discountMode === 'per_point') {
    let points = state.realPoints(cardId);
    // A reward cannot be given in part, except by payments.
    if (!payment) points = Math.floor(points / reward.requiredPoints) * reward.requiredPoints;
    maxDiscount = Math.min(maxDiscount, convert(reward.discount * points));
  } else if (reward.discountMode === 'per_order') {
    maxDiscount = Math.min(maxDiscount, convert(reward.discount));
  } else {
    maxDiscount = Math.min(maxDiscount, d.total * (reward.discount / 100));
  }
  const code = state.newRewardCode();
  let pointCost = reward.clearWallet ? state.realPoints(cardId) : reward.requiredPoints;
  if (reward.discountMode === 'per_point' && !reward.clearWallet) pointCost = convert(Math.min(maxDiscount, d.total)) / reward.discount;
  if (payment) {
    return [{
      productId: product, qty: 1, priceUnit: -Math.min(maxDiscount, d.total), taxIds: [], rewardId: reward.id,
      couponId: cardId, pointsCost: pointCost, rewardCode: code, name: reward.description,
    }];
  }
  const factor = d.total ? Math.min(1, maxDiscount / d.total) : 1;
  const out: RewardLineValues[] = [];
  for (const [key, price] of d.perTax) {
    if (!price) continue;
    out.push({
      productId: product, qty: 1, priceUnit: -(price * factor), taxIds: keyToTaxIds(key), rewardId: reward.id,
      couponId: cardId, pointsCost: 0, rewardCode: code, name: `Discount: ${reward.description}`,
    });
  }
  if (out.length) out[0].pointsCost = pointCost;
  return out;
}

export function rewardValues(state: OrderState, reward: Reward, cardId: number, productId: number | null): RewardLineValues[] {
  return reward.rewardType === 'product' ? productRewardValues(state, reward, cardId, productId) : discountRewardValues(state, reward, cardId);
}

/** Writes values on a line as Odoo's ORM would: price_unit rounded to 2 digits, the list price when not given. */
export function writeLine(state: OrderState, line: OrderLine, v: RewardLineValues): void {
  line.productId = v.productId;
  line.qty = roundDigits(v.qty, 2);
  line.priceUnit = roundDigits(v.priceUnit ?? state.catalog.products.get(v.productId)!.listPrice, 2);
  if (v.discount !== undefined) line.discount = roundDigits(v.discount, 2);
  line.taxIds = v.taxIds;
  line.rewardId = v.rewardId;
  line.couponId = v.couponId;
  line.pointsCost = v.pointsCost;
  line.rewardCode = v.rewardCode;
  line.name = v.name;
}

/**
 * _write_vals_from_reward_vals: the values overwrite the pool's lines in order, extra values
 * become new lines. Returns the pool lines left unused.
 */
export function writeIntoPool(state: OrderState, values: RewardLineValues[], pool: OrderLine[]): OrderLine[] {
  values.forEach((v, i) => {
    if (i < pool.length) writeLine(state, pool[i], v);
    else {
      const line = state.addLine({
        productId: v.productId, qty: 0, priceUnit: 0, discount: 0, taxIds: [], rewardId: null, couponId: null,
        rewardCode: null, pointsCost: 0, name: '',
      });
      writeLine(state, line, v);
    }
  });
  return pool.slice(values.length);
}

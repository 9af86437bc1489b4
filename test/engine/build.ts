/** Hand-built catalogues for engine unit tests (no database). */
import { Card, Catalog, OrderContext, Product, Program, Reward, Rule, Tax } from '../../src/engine/types';

export const TAXES: Tax[] = [
  { id: 1, name: '15%', amountType: 'percent', amount: 15, priceInclude: false, includeBaseAmount: false, sequence: 1, companyId: 1 },
  { id: 4, name: '10% incl', amountType: 'percent', amount: 10, priceInclude: true, includeBaseAmount: false, sequence: 1, companyId: 1 },
  { id: 6, name: 'Eco 0.50', amountType: 'fixed', amount: 0.5, priceInclude: false, includeBaseAmount: false, sequence: 1, companyId: 1 },
  { id: 7, name: '15% incl', amountType: 'percent', amount: 15, priceInclude: true, includeBaseAmount: false, sequence: 1, companyId: 1 },
];

export const PRODUCTS: Product[] = [
  { id: 1, name: 'Desk', listPrice: 100, active: true, taxIds: [1] },
  { id: 2, name: 'Chair', listPrice: 50, active: true, taxIds: [1] },
  { id: 3, name: 'Mug', listPrice: 11, active: true, taxIds: [4] },
  { id: 4, name: 'Pen', listPrice: 2, active: true, taxIds: [1] },
  { id: 5, name: 'Notebook', listPrice: 6.5, active: true, taxIds: [1, 6] },
  { id: 7, name: 'eWallet top-up', listPrice: 50, active: true, taxIds: [] },
  { id: 20, name: 'Large Cabinet', listPrice: 320, active: true, taxIds: [1] },
  { id: 21, name: 'Drawer Black', listPrice: 25, active: true, taxIds: [] },
  ...Array.from({ length: 10 }, (_, i) => ({ id: 90 + i, name: `Discount ${i}`, listPrice: 0, active: true, taxIds: [] })),
];

const all = { all: true, ids: new Set<number>() };
export const only = (...ids: number[]) => ({ all: false, ids: new Set(ids) });

export function rule(programId: number, r: Partial<Rule> = {}): Rule {
  return {
    id: programId * 10, programId, mode: 'auto', code: null, rewardPointMode: 'order', rewardPointAmount: 1, rewardPointSplit: false,
    minimumQty: 0, minimumAmount: 0, minimumAmountTaxMode: 'incl', products: all, hasProductIds: false, ...r,
  };
}

export function reward(programId: number, r: Partial<Reward> = {}): Reward {
  return {
    id: programId * 10 + 1, programId, description: 'reward', rewardType: 'discount', discount: 10, discountMode: 'percent',
    discountApplicability: 'order', discountMaxAmount: 0, requiredPoints: 1, clearWallet: false, discountLineProductId: 90 + (programId % 10),
    discountProducts: all, rewardProductIds: [], rewardProductQty: 1, hasActiveProduct: true, ...r,
  };
}

export function program(id: number, p: Partial<Program> & Pick<Program, 'programType'>, rules: Partial<Rule>[], rewards: Partial<Reward>[]): Program {
  const futureTypes = ['gift_card', 'ewallet', 'next_order_coupons'];
  return {
    id, name: `P${id}`, sequence: id, appliesOn: p.programType === 'loyalty' ? 'both' : futureTypes.includes(p.programType) ? 'future' : 'current',
    trigger: ['promo_code', 'coupons'].includes(p.programType) ? 'with_code' : 'auto', companyId: 1, active: true, saleOk: true, posOk: true,
    dateFrom: null, dateTo: null, limitUsage: false, maxUsage: 0, pricelistIds: [], orderCount: 0,
    rules: rules.map((r, i) => rule(id, { id: id * 10 + i, ...r })),
    rewards: rewards.map((r, i) => reward(id, { id: id * 10 + 1 + i, ...r })),
    ...p,
  };
}

export function catalog(programs: Program[], cards: Card[] = []): Catalog {
  return {
    programs: new Map(programs.map((p) => [p.id, p])),
    rewardsById: new Map(programs.flatMap((p) => p.rewards.map((r) => [r.id, r] as const))),
    products: new Map(PRODUCTS.map((p) => [p.id, p])),
    taxes: new Map(TAXES.map((t) => [t.id, t])),
    cards: new Map(cards.map((c) => [c.id, c])),
    currencyRounding: 0.01,
    currencyName: 'USD',
  };
}

export const ctx = (partnerId: number | null = 10): OrderContext => ({
  today: '2026-11-22', companyId: 1, parentCompanyId: null, pricelistId: null, partnerId, channel: 'sale',
});

export const line = (productId: number, qty: number, priceUnit?: number, taxIds?: number[]) => {
  const p = PRODUCTS.find((x) => x.id === productId)!;
  return { productId, qty, priceUnit: priceUnit ?? p.listPrice, discount: 0, taxIds: taxIds ?? p.taxIds };
};

/**
 * The plain data the loyalty engine works on (DESIGN decision 5: no I/O here).
 *
 * Loaders read these from Odoo's tables (src/models/loyalty/load.ts); tests build them by hand.
 * Field names follow Odoo's columns, in camelCase. Amounts are in the order's currency
 * (the sidecar serves one-currency companies: conversion is the identity).
 */

export type ProgramType =
  | 'coupons' | 'gift_card' | 'loyalty' | 'promotion' | 'ewallet' | 'promo_code' | 'buy_x_get_y' | 'next_order_coupons';

/** Which products a rule or a reward covers, already evaluated against the catalogue. */
export interface ProductFilter {
  /** true: every product (an empty domain). */
  all: boolean;
  /** the matching product ids when `all` is false. */
  ids: ReadonlySet<number>;
}

export interface Tax {
  id: number;
  name: string;
  amountType: 'percent' | 'fixed' | 'division' | 'group' | 'code';
  amount: number;
  priceInclude: boolean;
  includeBaseAmount: boolean;
  sequence: number;
  companyId: number | null;
}

export interface Product {
  id: number;
  name: string;
  listPrice: number;
  active: boolean;
  /** product.template taxes_id (customer taxes), every company. */
  taxIds: number[];
}

export interface Rule {
  id: number;
  programId: number;
  mode: 'auto' | 'with_code';
  code: string | null;
  rewardPointMode: 'order' | 'money' | 'unit';
  rewardPointAmount: number;
  rewardPointSplit: boolean;
  minimumQty: number;
  minimumAmount: number;
  minimumAmountTaxMode: 'incl' | 'excl';
  /** products the rule counts (product ids OR category OR tag, AND product_domain). null: none (gift cards). */
  products: ProductFilter | null;
  /** the rule names trigger products (product_ids): eWallets without them give nothing. */
  hasProductIds: boolean;
}

export interface Reward {
  id: number;
  programId: number;
  description: string;
  rewardType: 'product' | 'discount';
  discount: number;
  discountMode: 'percent' | 'per_point' | 'per_order';
  discountApplicability: 'order' | 'cheapest' | 'specific';
  discountMaxAmount: number;
  requiredPoints: number;
  clearWallet: boolean;
  discountLineProductId: number;
  /** the products a 'specific' discount covers. */
  discountProducts: ProductFilter;
  /** reward_product_ids: reward_product_id then the tag's products. */
  rewardProductIds: number[];
  rewardProductQty: number;
  /** a free-product reward whose products are all archived cannot be claimed. */
  hasActiveProduct: boolean;
}

export interface Program {
  id: number;
  name: string;
  sequence: number;
  programType: ProgramType;
  appliesOn: 'current' | 'future' | 'both';
  trigger: 'auto' | 'with_code';
  companyId: number | null;
  active: boolean;
  saleOk: boolean;
  posOk: boolean;
  dateFrom: string | null;
  dateTo: string | null;
  limitUsage: boolean;
  maxUsage: number;
  pricelistIds: number[];
  /** active rules, by id. */
  rules: Rule[];
  /** active rewards, ordered as Odoo's reward _order (required_points asc, then id). */
  rewards: Reward[];
  /** orders (sales and POS) that already carry one of its rewards: for usage limits. */
  orderCount: number;
}

export interface Card {
  id: number;
  programId: number;
  partnerId: number | null;
  points: number;
  expirationDate: string | null;
  code: string;
}

/** Everything the engine needs about the world, handed in by a loader. */
export interface Catalog {
  programs: ReadonlyMap<number, Program>;
  rewardsById: ReadonlyMap<number, Reward>;
  products: ReadonlyMap<number, Product>;
  taxes: ReadonlyMap<number, Tax>;
  /** the partner's cards and the cards named by the codes entered. */
  cards: ReadonlyMap<number, Card>;
  /** currency rounding (0.01 for USD) and name, for messages. */
  currencyRounding: number;
  currencyName: string;
}

/** Who and when: judged by the order's date, never by the clock. */
export interface OrderContext {
  /** 'YYYY-MM-DD' */
  today: string;
  companyId: number;
  parentCompanyId: number | null;
  pricelistId: number | null;
  partnerId: number | null;
  /** 'sale' for sale_loyalty's flow (the corpus), 'pos' to use POS-enabled programs. */
  channel: 'sale' | 'pos';
}

export interface OrderLineInput {
  productId: number;
  qty: number;
  priceUnit: number;
  discount: number;
  taxIds: number[];
}

export interface ClaimInput {
  rewardId: number;
  /** an existing card, or null for the card this order creates for the reward's program. */
  couponId: number | null;
  productId: number | null;
}

export interface OrderInput {
  lines: OrderLineInput[];
  codes: string[];
  claims: ClaimInput[];
}

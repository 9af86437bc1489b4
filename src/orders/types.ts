/** Orders as the points processing sees them, and what processing them did. */

/** An order line as it was sold (read from pos_order_line, or sent by an external system). */
export interface SoldLine {
  id: number | null;
  productId: number;
  qty: number;
  priceUnit: number;
  discount: number;
  /** null: the product's own taxes (an external order that names none). */
  taxIds: number[] | null;
  priceSubtotalIncl: number;
  isRewardLine: boolean;
  rewardId: number | null;
  couponId: number | null;
  pointsCost: number;
  refundedOrderlineId: number | null;
}

export interface SoldOrder {
  /** pos_order id; null for an external order. */
  posOrderId: number | null;
  /** pos_reference, or the external system's reference. */
  reference: string | null;
  name: string;
  state: string;
  partnerId: number | null;
  companyId: number;
  /** Odoo datetime 'YYYY-MM-DD HH:MM:SS' (UTC): the engine judges program dates by it. */
  dateOrder: string;
  lines: SoldLine[];
  /** Codes entered (external orders send them; for POS orders they are read back from the reward lines). */
  codes: string[];
}

/** What the engine says an order gives and costs each program (one row per card). */
export interface PointsRow {
  programId: number;
  /** An existing card, or null for a card the order creates. */
  cardId: number | null;
  won: number;
  spent: number;
}

/** A card the processing touched, as it stands afterwards. */
export interface AppliedCard {
  card_id: number;
  program_id: number;
  won: number;
  spent: number;
  balance: number;
  created: boolean;
}

export interface ProcessResult {
  kind: 'order' | 'refund';
  cards: AppliedCard[];
  /** Refunds: the share of each original order they reversed. */
  refunded?: Array<{ pos_order_id: number; share: number }>;
}

export type ProcessSource = 'hook' | 'sweep' | 'api' | 'pos' | 'external';

/** What the points ledger records. See src/db/migrations/0050_points_ledger.ts for the tables. */

/** Why a card's points changed. */
export type MoveKind = 'opening' | 'earn' | 'redeem' | 'expire' | 'adjust' | 'refund';

/** One signed change of a card's points. */
export interface LedgerEntry {
  kind: MoveKind;
  /** Signed: positive gives points (and opens a lot), negative takes them (from the lots). */
  points: number;
  /** Last day a positive entry's points can be spent; null = never expire. */
  expirationDate?: string | null;
  /** Negative entries: lots to draw from before the others (expiry: the lot itself; refund: the order's lots). */
  drawFirst?: { lotId?: number; posOrderId?: number };
}

/** What a change belongs to: the order, the external reference, the reason, the history line. */
export interface LedgerOrigin {
  posOrderId?: number | null;
  reference?: string | null;
  reason?: string | null;
  /** The history line people read (loyalty_point_history.description). */
  description: string;
  orderModel?: string | null;
  orderId?: number | null;
}

/** One write to one card: all its entries happen together, or not at all. */
export interface LedgerWrite {
  cardId: number;
  entries: LedgerEntry[];
  origin: LedgerOrigin;
  uid: number | null;
  now: Date;
  /** A retry with the same key changes nothing and answers the current balance. */
  idempotencyKey?: string | null;
  /** Refuse (InsufficientPoints) when the card would go below zero: redeeming. */
  requireFunds?: boolean;
  /**
   * Reconciliation: loyalty_card.points already holds the change (Odoo made it); only the
   * ledger catches up. ledgerBalance is the ledger's sum before the write.
   */
  alreadyOnCard?: { ledgerBalance: number };
  /** The business limit on one entry's points (config MAX_POINTS); HARD_MAX_POINTS when absent. */
  maxPoints?: number;
}

/** Beyond this a double no longer holds points to the cent: no entry may carry more, whatever the configuration. */
export const HARD_MAX_POINTS = 1e15;

export interface LedgerResult {
  cardId: number;
  /** loyalty_card.points after the write. */
  balance: number;
  moveIds: number[];
  /** True when the idempotency key had been used: nothing was written. */
  duplicate: boolean;
}

/** Rounding of points: money-derived points are cents, so two decimals are exact enough. */
export const roundPoints = (p: number): number => Math.round(p * 100) / 100;

/**
 * The events the sidecar publishes (README "Operations", "Events"). Each one reaches Redis as
 * one stream entry whose `event` field is the JSON envelope:
 *
 *   {"id": "<uuid>", "type": "points.moved", "db": "<database>", "occurred_at": "<ISO UTC>", "data": {…}}
 *
 * `id` is unique per event: delivery is at least once, so consumers de-duplicate on it.
 */
export type EventType =
  /** A paid order (POS or external) whose points were applied: data = OrderProcessedData. */
  | 'order.processed'
  /** One write of a card's points (earn, redeem, expire, adjust, refund, opening): PointsMovedData. */
  | 'points.moved'
  /** A loyalty card created by the sidecar (an order, a new partner's primary card, the ORM): CardCreatedData. */
  | 'card.created'
  /** A partner's membership tier line opened or closed: MembershipChangedData. */
  | 'membership.changed'
  /** A scheduled job's run ended (done, skipped, failed): JobRunData. */
  | 'job.run';

export interface OrderProcessedData {
  pos_order_id: number | null;
  reference: string | null;
  partner_id: number | null;
  company_id: number;
  kind: 'order' | 'refund';
  cards: Array<{ card_id: number; program_id: number; won: number; spent: number; balance: number; created: boolean }>;
  uid: number | null;
}

export interface PointsMovedData {
  card_id: number;
  program_id: number;
  partner_id: number | null;
  /** loyalty_card.points after the write. */
  balance: number;
  /** The sum of the moves. */
  delta: number;
  moves: Array<{ id: number; kind: string; points: number }>;
  reason: string | null;
  reference: string | null;
  pos_order_id: number | null;
}

export interface CardCreatedData {
  card_id: number;
  program_id: number;
  partner_id: number | null;
  code: string;
}

export interface MembershipChangedData {
  partner_id: number;
  /** The tier (membership product) now granted, or null when the granted tier ended. */
  tier_product_id: number | null;
  opened_line_id: number | null;
  closed_line_id: number | null;
  /** The qualifying spend the decision was made on. */
  spend: number | null;
}

export interface JobRunData {
  job: string;
  state: 'done' | 'skipped' | 'failed';
  ms: number;
  result: Record<string, unknown> | null;
  error: string | null;
}

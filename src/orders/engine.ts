import { Knex } from 'knex';
import { settleSoldOrder } from '../models/loyalty/settle';
import { PointsRow, SoldOrder } from './types';

export interface ClaimedReward {
  rewardId: number;
  couponId: number | null;
  productId: number | null;
}

export interface ComputedPoints {
  /** Per card: what the order gives it and what its reward lines cost. */
  rows: PointsRow[];
  /** What the engine charges per reward, to compare with the till's figures. */
  rewardCosts: Map<number, number>;
  /** Claims the engine refused (logged; they cost nothing). */
  refused: ClaimedReward[];
}

/**
 * The one call into the loyalty engine (src/engine, branch "engine"): the points each program
 * gives a sold order and what its claimed rewards cost.
 * The engine replays the order's claims (its reward lines, or `claims`) with the same flow as
 * the preview (src/engine/settle.ts).
 */
export async function computeOrderPoints(cr: Knex, order: SoldOrder, channel: 'pos' | 'sale', claims?: ClaimedReward[]): Promise<ComputedPoints> {
  return settleSoldOrder(cr, order, channel, claims);
}

import { Knex } from 'knex';
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
 * TODO(engine): wired when the engine's loader and preview land.
 */
export async function computeOrderPoints(_cr: Knex, _order: SoldOrder, _channel: 'pos' | 'sale', _claims?: ClaimedReward[]): Promise<ComputedPoints> {
  throw new Error('the loyalty engine is not merged yet');
}

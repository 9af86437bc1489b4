import { Knex } from 'knex';
import { AppContext } from '../context';
import { settleSoldOrders } from '../models/loyalty/settle';
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
  /** Every card the engine saw for the order (its points could change what the order gets). */
  cardIds: number[];
}

/**
 * The one call into the loyalty engine (src/engine, branch "engine"): the points each program
 * gives a sold order and what its claimed rewards cost.
 * The engine replays the order's claims (its reward lines, or `claims`) with the same flow as
 * the preview (src/engine/settle.ts).
 */
export async function computeOrderPoints(cr: Knex, app: AppContext, order: SoldOrder, channel: 'pos' | 'sale', claims?: ClaimedReward[]): Promise<ComputedPoints> {
  return (await settleSoldOrders(cr, app, [{ order, claims }], channel))[0];
}

/** computeOrderPoints of several orders (a batch): their catalogues read in one round trip. */
export async function computeOrdersPoints(cr: Knex, app: AppContext, orders: SoldOrder[], channel: 'pos' | 'sale'): Promise<ComputedPoints[]> {
  return settleSoldOrders(cr, app, orders.map((order) => ({ order })), channel);
}

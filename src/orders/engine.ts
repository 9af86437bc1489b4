import { Knex } from 'knex';
import { AppContext } from '../context';
import { settleSoldOrders, SoldOrderPoints } from '../models/loyalty/settle';
import { ClaimInput } from '../engine/types';
import { SoldOrder } from './types';

/** Per card what the order gives and costs, the refused claims, the cards the engine saw. */
export type ComputedPoints = SoldOrderPoints;

/**
 * The one call into the loyalty engine (src/engine, branch "engine"): the points each program
 * gives a sold order and what its claimed rewards cost.
 * The engine replays the order's claims (its reward lines, or `claims`) with the same flow as
 * the preview (src/engine/settle.ts).
 */
export async function computeOrderPoints(cr: Knex, app: AppContext, order: SoldOrder, channel: 'pos' | 'sale', claims?: ClaimInput[]): Promise<ComputedPoints> {
  return (await settleSoldOrders(cr, app, [{ order, claims }], channel))[0];
}

/** computeOrderPoints of several orders (a batch): their catalogues read in one round trip. */
export async function computeOrdersPoints(cr: Knex, app: AppContext, orders: SoldOrder[], channel: 'pos' | 'sale'): Promise<ComputedPoints[]> {
  return settleSoldOrders(cr, app, orders.map((order) => ({ order })), channel);
}

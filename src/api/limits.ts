import { AppContext } from '../context';
import { Bounded, INT4_MAX, outOfBounds } from '../bounds';
import { ApiError } from './errors';

/** A 400 naming the first number of a request body that is out of the configured bounds. */
export function checkLimits(ctx: AppContext, numbers: Array<[where: string, kind: Bounded, value: number]>): void {
  for (const [where, kind, value] of numbers) {
    const why = outOfBounds(ctx.config.limits, kind, value);
    if (why) throw new ApiError(400, 'out_of_bounds', `${where} ${why}`);
  }
}

/** A record id from the path: a positive int4, or a 400 (never a query with a value PostgreSQL refuses). */
export function pathId(text: string, what: string): number {
  const id = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!(id >= 1 && id <= INT4_MAX)) throw new ApiError(400, 'invalid_request', `${what} id must be a positive integer of at most ${INT4_MAX}`);
  return id;
}

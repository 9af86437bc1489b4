/**
 * Bounds on the numbers a request may carry to SQL or to the ledger: record ids within int4
 * (Odoo's id columns), quantities, amounts and points finite and within the configured
 * business limits (config.ts `limits`: MAX_QUANTITY, MAX_AMOUNT, MAX_POINTS). A number out of
 * bounds is refused with a clear message before anything is written.
 */
import { BusinessLimits } from './config';

export const INT4_MAX = 2147483647;

/** The limits when MAX_POINTS, MAX_QUANTITY and MAX_AMOUNT are not set. */
export const DEFAULT_LIMITS: BusinessLimits = { points: 1e9, quantity: 1e6, amount: 1e9 };

/** Whether v can be the id of a record (a positive int4). */
export const isRecordIdValue = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= INT4_MAX;

/** The kinds of numbers the limits cover. */
export type Bounded = keyof BusinessLimits;

/**
 * Why `value` is out of bounds for a number of that kind, or null when it is fine: it must be
 * finite and at most the limit in magnitude (negative values are a caller's own rule).
 */
export function outOfBounds(limits: BusinessLimits, kind: Bounded, value: number): string | null {
  if (!Number.isFinite(value)) return 'must be a finite number';
  const limit = limits[kind];
  if (Math.abs(value) > limit) return `is beyond the limit of ${limit} (MAX_${kind.toUpperCase()})`;
  return null;
}

/**
 * Odoo's float_round: values are normalised by the rounding step and nudged by one ulp-ish
 * epsilon before rounding, so 2.675 rounds like a human would (half away from zero) despite
 * binary floats. The same nudge, inverted, keeps 'DOWN' from flooring 0.29999999 to 0.28.
 */
export type RoundingMethod = 'HALF-UP' | 'HALF-EVEN' | 'DOWN' | 'UP';

export function floatRound(value: number, rounding: number, method: RoundingMethod = 'HALF-UP'): number {
  if (rounding <= 0) return value;
  if (value === 0) return 0;
  let normalized = value / rounding;
  const sign = Math.sign(normalized);
  const epsilon = Math.pow(2, Math.log2(Math.abs(normalized)) - 52);
  let rounded: number;
  if (method === 'HALF-UP') {
    normalized += sign * epsilon;
    rounded = Math.round(Math.abs(normalized)) * sign;
  } else if (method === 'HALF-EVEN') {
    // Python's round(): ties to the even neighbour, no nudge
    const abs = Math.abs(normalized);
    const floor = Math.floor(abs);
    const rest = abs - floor;
    rounded = (rest > 0.5 || (rest === 0.5 && floor % 2 === 1) ? floor + 1 : floor) * sign;
  } else if (method === 'DOWN') {
    normalized += sign * epsilon;
    rounded = Math.floor(Math.abs(normalized)) * sign;
  } else {
    normalized -= sign * epsilon;
    rounded = Math.ceil(Math.abs(normalized)) * sign;
  }
  const result = rounded * rounding;
  return result === 0 ? 0 : result;
}

/** Odoo's float_is_zero with a number of digits. */
export function isZero(value: number, digits = 2): boolean {
  return Math.abs(floatRound(value, Math.pow(10, -digits))) < Math.pow(10, -digits) / 2;
}

/** The way Odoo stores a float field with `digits` (price_unit: 2 here). */
export function roundDigits(value: number, digits: number): number {
  return floatRound(value, Math.pow(10, -digits));
}

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

/**
 * A money figure for an answer: float_round to the currency's rounding, printed with the
 * currency's decimals. float_round's own result carries the residue of its last multiplication
 * (-8696 × 0.01 = -86.96000000000001); Odoo never shows it, since its numeric columns store the
 * decimal, and neither does an answer of the sidecar.
 */
export function roundMoney(value: number, rounding: number): number {
  if (rounding <= 0) return value;
  const decimals = Math.max(0, Math.ceil(-Math.log10(rounding) - 1e-9));
  const r = Number(floatRound(value, rounding).toFixed(decimals));
  return r === 0 ? 0 : r;
}

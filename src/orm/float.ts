/**
 * Python floats on the wire.
 *
 * Odoo answers `70.0` for a float field and `70` for an integer one; a JS number cannot tell
 * the two apart. The ORM wraps every value of a float or monetary field in `PyFloat`, and the
 * transports marshal a PyFloat as `<double>` (XML-RPC) or with a decimal point (JSON).
 * It extends Number, so arithmetic and comparisons (`+x`, `x > 1`) keep working.
 */
export class PyFloat extends Number {
  toJSON(): number {
    return this.valueOf();
  }
}

export const pyFloat = (value: number): PyFloat => new PyFloat(value);

export function isPyFloat(value: unknown): value is PyFloat {
  return value instanceof PyFloat;
}

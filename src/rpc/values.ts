/**
 * Python values on the wire that JavaScript cannot express on its own.
 *
 * Odoo's wire is typed the Python way: `2` (int) and `2.0` (float) are different values
 * (XML-RPC `<int>` vs `<double>`, JSON `2` vs `2.0`), and clients compare them strictly.
 * A JS number that holds an integral value is sent as an int; a float that happens to be
 * integral (points 3646.0) is a `PyFloat` (the ORM wraps float and monetary fields in it).
 * A JS number with a fraction is always a float.
 */
import { PythonError } from '../errors';
import { PyFloat } from '../orm/float';
import { pyRepr } from '../orm/pyrepr';

/** The Python float marker is the ORM's (src/orm/float.ts); re-exported for the transports. */
export { PyFloat, pyFloat, isPyFloat } from '../orm/float';

/**
 * Python's repr() of a float: the shortest digits that round-trip (as JS), always with a
 * decimal point or an exponent, and scientific notation when the exponent is < -4 or >= 16.
 */
export function pyFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  // Where both write plain decimals, JavaScript's shortest round-trip digits are Python's.
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-4 && magnitude < 1e16) {
    const text = String(value);
    return Number.isInteger(value) ? text + '.0' : text;
  }
  const [mantissa, expText] = value.toExponential().split('e');
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  let text: string;
  if (exp < -4 || exp >= 16) {
    const frac = digits.slice(1);
    text = digits[0] + (frac ? '.' + frac : '') + 'e' + (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');
  } else if (exp < 0) {
    text = '0.' + '0'.repeat(-exp - 1) + digits;
  } else if (digits.length <= exp + 1) {
    text = digits + '0'.repeat(exp + 1 - digits.length) + '.0';
  } else {
    text = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
  }
  return (negative ? '-' : '') + text;
}

/** Python's repr() of a str, as in `KeyError: 'x'` (the ORM's pyRepr, one implementation). */
export const pyStrRepr = (value: string): string => pyRepr(value);

/**
 * Python's int() of a value as Odoo applies it to the uid of execute_kw: numbers truncate,
 * booleans count, strings must be a base-10 literal (underscores between digits allowed).
 */
export function pyInt(value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' || value instanceof PyFloat) {
    const n = Number(value);
    if (Number.isNaN(n)) throw new PythonError('ValueError', 'cannot convert float NaN to integer');
    if (!Number.isFinite(n)) throw new PythonError('OverflowError', 'cannot convert float infinity to integer');
    return Math.trunc(n);
  }
  if (typeof value === 'string') {
    const text = value.trim();
    if (/^[+-]?\d+(_\d+)*$/.test(text)) return parseInt(text.replace(/_/g, ''), 10);
    throw new PythonError('ValueError', `invalid literal for int() with base 10: ${pyStrRepr(value)}`);
  }
  const type = value === null || value === undefined ? 'NoneType' : Array.isArray(value) ? 'list' : 'dict';
  throw new PythonError('TypeError', `int() argument must be a string, a bytes-like object or a real number, not '${type}'`);
}


/** The Python type name of a wire value, for TypeError texts. */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (value instanceof PyFloat) return 'float';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A JS Date as Odoo's Datetime.to_string: UTC, "YYYY-MM-DD HH:MM:SS". */
export function datetimeString(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

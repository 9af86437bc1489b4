import { FieldDef } from '../registry';
import { PythonError, UserError, valueError, typeError } from '../../errors';
import { pyRepr } from '../pyrepr';
import { floatRound } from '../fields';

/**
 * Converting a value a client sent for a stored field into what its column holds, the way
 * Odoo 17's fields convert_to_cache / convert_to_column do, with Python's own errors for
 * values Python would refuse (float('abc') → "ValueError: could not convert string to
 * float: 'abc'").
 */

/** A translated value: stored in a jsonb column under the writing language (and en_US). */
export interface Translated {
  translated: string | null;
}

export type ColumnValue = string | number | boolean | null | Translated | { json: unknown };

export const unwrap = (v: unknown): unknown =>
  v instanceof Number || v instanceof String || v instanceof Boolean ? v.valueOf() : v;

/** Python's bool(): empty containers and 0 are false. */
export function pyTruthy(value: unknown): boolean {
  const v = unwrap(value);
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === 'object') return Object.keys(v).length > 0;
  return !!v;
}

function toFloat(value: unknown): number {
  const v = unwrap(value);
  if (v === false || v === null || v === undefined) return 0;
  if (v === true) return 1;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const s = v.trim();
    // Python's float() accepts decimal and exponent forms, inf and nan, and underscores between digits.
    if (/^[+-]?(\d(_?\d)*(\.(\d(_?\d)*)?)?|\.\d(_?\d)*)([eE][+-]?\d(_?\d)*)?$/.test(s)) return Number(s.replace(/_/g, ''));
    if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
    if (/^[+-]?nan$/i.test(s)) return NaN;
    throw valueError(`could not convert string to float: ${pyRepr(v)}`);
  }
  throw typeError(`float() argument must be a string or a real number, not '${pyTypeName(v)}'`);
}

function toInt(value: unknown): number {
  const v = unwrap(value);
  if (v === false || v === null || v === undefined) return 0;
  if (v === true) return 1;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new PythonError('OverflowError', 'cannot convert float infinity to integer');
    return Math.trunc(v);
  }
  if (typeof v === 'string') {
    const s = v.trim();
    if (/^[+-]?\d(_?\d)*$/.test(s)) return parseInt(s.replace(/_/g, ''), 10);
    throw valueError(`invalid literal for int() with base 10: ${pyRepr(v)}`);
  }
  throw typeError(`int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(v)}'`);
}

export function pyTypeName(v: unknown): string {
  if (Array.isArray(v)) return 'list';
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'object') return 'dict';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'boolean') return 'bool';
  return 'str';
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

const pad = (x: string) => x.padStart(2, '0');

function toDate(value: unknown): string {
  const v = unwrap(value);
  if (typeof v !== 'string') throw typeError(`strptime() argument 1 must be str, not ${pyTypeName(v)}`);
  const s = v.slice(0, 10);
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (!m || !validDate(+m[1], +m[2], +m[3])) throw valueError(`time data ${pyRepr(s)} does not match format '%Y-%m-%d'`);
  return `${m[1]}-${pad(m[2])}-${pad(m[3])}`;
}

function toDatetime(value: unknown): string {
  const v = unwrap(value);
  if (typeof v !== 'string') throw typeError(`strptime() argument 1 must be str, not ${pyTypeName(v)}`);
  let s = v.slice(0, 19);
  if (s.length === 10) s += ' 00:00:00';
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})$/.exec(s);
  if (!m || !validDate(+m[1], +m[2], +m[3]) || +m[4] > 23 || +m[5] > 59 || +m[6] > 61) {
    throw valueError(`time data ${pyRepr(s)} does not match format '%Y-%m-%d %H:%M:%S'`);
  }
  return `${m[1]}-${pad(m[2])}-${pad(m[3])} ${pad(m[4])}:${pad(m[5])}:${pad(m[6])}`;
}

const wrongValue = (field: FieldDef, value: unknown) => valueError(`Wrong value for ${field.model}.${field.name}: ${pyRepr(value)}`);

/** Python's str() of a non-string value given for a text field. */
function pyText(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  return pyRepr(value);
}

/**
 * The column value for a stored scalar field (every type except one2many and many2many,
 * whose commands commands.ts applies).
 */
export function toColumn(field: FieldDef, raw: unknown): ColumnValue {
  const value = unwrap(raw);
  const empty = value === false || value === null || value === undefined;
  switch (field.type) {
    case 'char':
    case 'text':
    case 'html': {
      if (empty) return field.translate ? { translated: null } : null;
      let s = typeof value === 'string' ? value : pyText(value);
      if (field.type === 'char' && field.size) s = s.slice(0, field.size);
      return field.translate ? { translated: s } : s;
    }
    case 'selection':
      if (empty || value === '') return null;
      if (field.selection.length && !field.selection.some(([key]) => key === value)) throw wrongValue(field, value);
      return String(value);
    case 'boolean':
      return pyTruthy(value);
    case 'integer':
      return toInt(value);
    case 'float':
    case 'monetary': {
      const n = toFloat(value);
      return Array.isArray(field.digits) ? floatRound(n, field.digits[1]) : n;
    }
    case 'date':
      return pyTruthy(value) ? toDate(value) : null;
    case 'datetime':
      return pyTruthy(value) ? toDatetime(value) : null;
    case 'many2one':
    case 'many2one_reference':
      if (empty || value === 0) return null;
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      throw wrongValue(field, value);
    case 'reference':
      if (!pyTruthy(value)) return null;
      if (typeof value === 'string' && /^[\w.]+,\d+$/.test(value)) return value;
      throw wrongValue(field, value);
    case 'json':
    case 'properties':
    case 'properties_definition':
      return empty ? null : { json: value };
    case 'binary':
      if (!pyTruthy(value)) return null;
      throw new UserError(`The sidecar does not store binary data (field ${field.name} of ${field.model}): write it through Odoo.`);
    default:
      throw new UserError(`Field ${field.name} of ${field.model} cannot be written as a column.`);
  }
}

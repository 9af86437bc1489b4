import { FieldDef } from './registry';
import { pyFloat } from './float';

/**
 * SQL value → Odoo wire value, per field type: False for empty (0 and 0.0 for empty numbers),
 * floats as PyFloat, dates 'YYYY-MM-DD', datetimes 'YYYY-MM-DD HH:MM:SS' (UTC, no fraction).
 * Relational fields are shaped by read.ts, which knows the display names.
 */
export function toWire(field: FieldDef, value: unknown): unknown {
  switch (field.type) {
    case 'integer':
      return value === null || value === undefined ? 0 : Number(value);
    case 'float':
    case 'monetary': {
      // Float fields with digits go through float_round on their way into Odoo's cache.
      if (value === null || value === undefined) return pyFloat(0);
      const n = Number(value);
      return pyFloat(field.type === 'float' && Array.isArray(field.digits) ? floatRound(n, field.digits[1]) : n);
    }
    case 'boolean':
      return !!value;
    case 'date':
      return value ? String(value).slice(0, 10) : false;
    case 'datetime':
      return value ? datetimeString(value) : false;
    case 'json':
      return value === null || value === undefined ? false : value;
    case 'properties':
    case 'properties_definition':
      // Odoo reads an empty properties value, or an empty definition, as []
      return value === null || value === undefined || (typeof value === 'object' && !Array.isArray(value) && !Object.keys(value).length) ? [] : value;
    case 'binary':
      // Attachment-backed binaries live in Odoo's filestore, which the sidecar does not share.
      return false;
    default:
      return value === null || value === undefined || value === '' && field.type === 'selection' ? false : value;
  }
}

/** The text of a translated value in `lang`, falling back to en_US as Odoo 17 does. */
export function translated(value: unknown, lang: string): string | false {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value;
  const t = value as Record<string, string>;
  return t[lang] ?? t.en_US ?? false;
}

function datetimeString(v: unknown): string {
  if (v instanceof Date) return v.toISOString().replace('T', ' ').slice(0, 19);
  return String(v).replace('T', ' ').slice(0, 19);
}

/**
 * Odoo's float_round(value, precision_digits), HALF-UP: normalised by 10**-digits, nudged by
 * an epsilon, rounded, then multiplied back, so that 5.10 reads as 5.1000000000000005 exactly
 * as Odoo's read answers it.
 */
export function floatRound(value: number, digits: number): number {
  const factor = 10 ** -digits;
  if (value === 0) return 0;
  let normalized = value / factor;
  const sign = Math.sign(normalized);
  normalized += sign * 2 ** (Math.log2(Math.abs(normalized)) - 52);
  return sign * Math.round(Math.abs(normalized)) * factor;
}

/** The value an empty record has for a field (new records, fields nobody computes). */
export function emptyValue(field: FieldDef): unknown {
  switch (field.type) {
    case 'one2many':
    case 'many2many':
      return [];
    default:
      return toWire(field, null);
  }
}

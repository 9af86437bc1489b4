/**
 * JSON as Odoo's Python writes it (json.dumps): a float is written as a float even when
 * integral (`3646.0`, not `3646`), dict keys that are not strings become strings the way
 * Python converts them, and None is null. JSON.stringify cannot write `3646.0`, hence this.
 */
import { PyFloat, pyFloatRepr, datetimeString } from './values';

function pyKey(key: unknown): string {
  if (typeof key === 'string') return key;
  if (key === null || key === undefined) return 'null';
  if (typeof key === 'boolean') return key ? 'true' : 'false';
  if (key instanceof PyFloat) return pyFloatRepr(key.valueOf());
  return String(key);
}

function floatText(v: number): string {
  // json.dumps writes NaN and Infinity bare (not valid JSON, but that is what Odoo sends).
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  return pyFloatRepr(v);
}

// Builds the text by concatenation (V8 ropes): cheaper than an array of pieces joined at the end.
function write(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : floatText(value);
  if (value instanceof PyFloat) return floatText(value.valueOf());
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) text += (i ? ', ' : '') + write(value[i]);
    return text + ']';
  }
  if (value instanceof Date) return JSON.stringify(datetimeString(value));
  if (Buffer.isBuffer(value)) return JSON.stringify(value.toString('utf8'));
  if (value instanceof Map) {
    let text = '{';
    let first = true;
    for (const [k, v] of value) {
      text += (first ? '' : ', ') + JSON.stringify(pyKey(k)) + ': ' + write(v);
      first = false;
    }
    return text + '}';
  }
  if (typeof value === 'object') {
    let text = '{';
    let first = true;
    for (const k in value) {
      if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
      const v = (value as Record<string, unknown>)[k];
      if (v === undefined) continue;
      text += (first ? '' : ', ') + JSON.stringify(k) + ': ' + write(v);
      first = false;
    }
    return text + '}';
  }
  return 'null';
}

/** Serialises a value as Python's json.dumps would. */
export function encodeJson(value: unknown): string {
  return write(value);
}

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

function write(value: unknown, out: string[]): void {
  if (value === null || value === undefined) out.push('null');
  else if (typeof value === 'string') out.push(JSON.stringify(value));
  else if (typeof value === 'boolean') out.push(value ? 'true' : 'false');
  else if (value instanceof PyFloat) out.push(floatText(value.valueOf()));
  else if (typeof value === 'number') out.push(Number.isInteger(value) ? String(value) : floatText(value));
  else if (typeof value === 'bigint') out.push(value.toString());
  else if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, i) => {
      if (i) out.push(', ');
      write(item, out);
    });
    out.push(']');
  } else if (value instanceof Date) out.push(JSON.stringify(datetimeString(value)));
  else if (Buffer.isBuffer(value)) out.push(JSON.stringify(value.toString('utf8')));
  else if (value instanceof Map) {
    out.push('{');
    let first = true;
    for (const [k, v] of value) {
      if (!first) out.push(', ');
      first = false;
      out.push(JSON.stringify(pyKey(k)), ': ');
      write(v, out);
    }
    out.push('}');
  } else if (typeof value === 'object') {
    out.push('{');
    let first = true;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      if (!first) out.push(', ');
      first = false;
      out.push(JSON.stringify(k), ': ');
      write(v, out);
    }
    out.push('}');
  } else out.push('null');
}

/** Serialises a value as Python's json.dumps would. */
export function encodeJson(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join('');
}

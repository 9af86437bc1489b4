/**
 * JSON as Odoo's Python writes it (json.dumps): a float is written as a float even when
 * integral (`3646.0`, not `3646`), dict keys that are not strings become strings the way
 * Python converts them, and None is null. JSON.stringify cannot write `3646.0`, hence this.
 *
 * Every JSON-RPC answer goes through here, so it is written for speed: the text is built by
 * concatenation (V8 ropes, cheaper than pieces joined at the end), strings with nothing to
 * escape are quoted without JSON.stringify, and object keys (the same few field names answer
 * after answer) are quoted once.
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

/** What JSON.stringify would escape: quotes, backslashes, control characters, lone surrogates. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

const quote = (s: string): string => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"');

/** `"key": ` per object key; bounded, since callers choose the keys of what they write. */
const quotedKeys = new Map<string, string>();
function keyText(key: string): string {
  let text = quotedKeys.get(key);
  if (text === undefined) {
    text = quote(key) + ': ';
    if (quotedKeys.size < 4096) quotedKeys.set(key, text);
  }
  return text;
}

function write(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return Number.isInteger(value) ? String(value) : floatText(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'object':
      return value === null ? 'null' : writeObject(value);
    default:
      return 'null'; // undefined, functions, symbols
  }
}

function writeObject(value: object): string {
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    let text = '[' + write(value[0]);
    for (let i = 1; i < value.length; i++) text += ', ' + write(value[i]);
    return text + ']';
  }
  if (value instanceof PyFloat) return floatText(value.valueOf());
  if (value instanceof Date) return quote(datetimeString(value));
  if (Buffer.isBuffer(value)) return quote(value.toString('utf8'));
  let text = '{';
  let first = true;
  if (value instanceof Map) {
    for (const [k, v] of value) {
      text += (first ? '' : ', ') + quote(pyKey(k)) + ': ' + write(v);
      first = false;
    }
    return text + '}';
  }
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const v = (value as Record<string, unknown>)[keys[i]];
    if (v === undefined) continue;
    text += (first ? '' : ', ') + keyText(keys[i]) + write(v);
    first = false;
  }
  return text + '}';
}

/** Serialises a value as Python's json.dumps would. */
export function encodeJson(value: unknown): string {
  return write(value);
}

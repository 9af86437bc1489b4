/**
 * A JSON reader that keeps Python's int/float distinction, which JSON.parse loses:
 * a number written with a fraction or an exponent becomes a `PyFloat` (src/orm/float.ts),
 * any other number a plain JS number. The corpus and the sidecar's JSON answers are both
 * read with it, so `2` vs `2.0` is compared strictly, as the corpus spec requires.
 */
import { PyFloat } from '../../src/rpc/values';

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/y;
const LITERAL = /true|false|null|NaN|-?Infinity/y;

export function parseTypedJson(text: string): unknown {
  let pos = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${pos} in JSON: ${text.slice(Math.max(0, pos - 20), pos + 20)}`);
  };
  const skip = () => {
    while (pos < text.length && ' \t\r\n'.includes(text[pos])) pos++;
  };
  const value = (): unknown => {
    skip();
    const ch = text[pos];
    if (ch === '{') {
      pos++;
      const obj: Record<string, unknown> = {};
      skip();
      if (text[pos] === '}') {
        pos++;
        return obj;
      }
      for (;;) {
        skip();
        if (text[pos] !== '"') fail('expected a key');
        const key = value() as string;
        skip();
        if (text[pos++] !== ':') fail("expected ':'");
        Object.defineProperty(obj, key, { value: value(), enumerable: true, writable: true, configurable: true });
        skip();
        const sep = text[pos++];
        if (sep === '}') return obj;
        if (sep !== ',') fail("expected ',' or '}'");
      }
    }
    if (ch === '[') {
      pos++;
      const arr: unknown[] = [];
      skip();
      if (text[pos] === ']') {
        pos++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        skip();
        const sep = text[pos++];
        if (sep === ']') return arr;
        if (sep !== ',') fail("expected ',' or ']'");
      }
    }
    if (ch === '"') {
      STRING.lastIndex = pos;
      const m = STRING.exec(text) ?? fail('bad string');
      pos = STRING.lastIndex;
      return JSON.parse(m[0]);
    }
    LITERAL.lastIndex = pos;
    const lit = LITERAL.exec(text);
    if (lit) {
      pos = LITERAL.lastIndex;
      const map: Record<string, unknown> = { true: true, false: false, null: null, NaN: new PyFloat(NaN), Infinity: new PyFloat(Infinity), '-Infinity': new PyFloat(-Infinity) };
      return map[lit[0]];
    }
    NUMBER.lastIndex = pos;
    const num = NUMBER.exec(text) ?? fail('unexpected character');
    pos = NUMBER.lastIndex;
    const n = Number(num[0]);
    return num[1] !== undefined || num[2] !== undefined ? new PyFloat(n) : n;
  };
  const result = value();
  skip();
  if (pos !== text.length) fail('trailing characters');
  return result;
}

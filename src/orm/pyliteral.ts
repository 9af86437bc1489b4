/**
 * A safe reader for Python literals (what ast.literal_eval accepts for Odoo's stored domains:
 * lists, tuples, strings, numbers, True/False/None, dicts, unary minus). Never evaluates code:
 * anything else (names, calls, operators) is a ValueError like Python's.
 */
import { valueError } from '../errors';

export type PyValue = null | boolean | number | string | PyValue[] | { [key: string]: PyValue };

export function parsePyLiteral(source: string): PyValue {
  const p = new Parser(source);
  p.skipSpace();
  const value = p.value();
  p.skipSpace();
  if (!p.done()) throw p.fail();
  return value;
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  done(): boolean {
    return this.i >= this.s.length;
  }

  fail(): Error {
    return valueError(`malformed node or string: ${JSON.stringify(this.s.slice(this.i, this.i + 20))} at ${this.i}`);
  }

  skipSpace(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  value(): PyValue {
    this.skipSpace();
    const c = this.s[this.i];
    if (c === '[') return this.sequence(']');
    if (c === '(') return this.sequence(')');
    if (c === '{') return this.dict();
    if (c === '"' || c === "'") return this.string();
    if (c === '-' || c === '+' || (c >= '0' && c <= '9') || c === '.') return this.number();
    const word = /^[A-Za-z_]\w*/.exec(this.s.slice(this.i))?.[0];
    if (word === 'True' || word === 'False' || word === 'None') {
      this.i += word.length;
      return word === 'True' ? true : word === 'False' ? false : null;
    }
    throw this.fail();
  }

  private sequence(close: string): PyValue[] {
    this.i++;
    const out: PyValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.s[this.i] === close) {
        this.i++;
        return out;
      }
      out.push(this.value());
      this.skipSpace();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== close) throw this.fail();
    }
  }

  private dict(): { [key: string]: PyValue } {
    this.i++;
    const out: { [key: string]: PyValue } = {};
    for (;;) {
      this.skipSpace();
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      const key = this.value();
      this.skipSpace();
      if (this.s[this.i] !== ':') throw this.fail();
      this.i++;
      out[String(key)] = this.value();
      this.skipSpace();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') throw this.fail();
    }
  }

  private string(): string {
    const quote = this.s[this.i];
    const triple = this.s.startsWith(quote.repeat(3), this.i);
    const end = triple ? quote.repeat(3) : quote;
    this.i += end.length;
    let out = '';
    for (;;) {
      if (this.done()) throw this.fail();
      if (this.s.startsWith(end, this.i)) {
        this.i += end.length;
        break;
      }
      const ch = this.s[this.i++];
      if (ch === '\n' && !triple) throw this.fail();
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const esc = this.s[this.i++];
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };
      if (esc in simple) out += simple[esc];
      else if (esc === 'x' || esc === 'u' || esc === 'U') {
        const len = esc === 'x' ? 2 : esc === 'u' ? 4 : 8;
        const hex = this.s.slice(this.i, this.i + len);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) throw this.fail();
        out += String.fromCodePoint(parseInt(hex, 16));
        this.i += len;
      } else out += '\\' + esc;
    }
    // Adjacent literals concatenate, as in Python.
    const save = this.i;
    this.skipSpace();
    if (this.s[this.i] === '"' || this.s[this.i] === "'") return out + this.string();
    this.i = save;
    return out;
  }

  private number(): number {
    let sign = 1;
    while (this.s[this.i] === '-' || this.s[this.i] === '+') {
      if (this.s[this.i] === '-') sign = -sign;
      this.i++;
      this.skipSpace();
    }
    const m = /^(\d[\d_]*)?(\.\d*)?([eE][-+]?\d+)?/.exec(this.s.slice(this.i));
    if (!m || !m[0] || m[0] === '.') throw this.fail();
    this.i += m[0].length;
    return sign * Number(m[0].replace(/_/g, ''));
  }
}

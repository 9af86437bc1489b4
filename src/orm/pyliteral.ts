import { valueError } from '../errors';
import { boundedMemo } from './memo';

/**
 * Evaluates the small Python expressions Odoo stores as text (record rule domains,
 * product_domain): literals (numbers, strings, True/False/None, lists, tuples, dicts), names
 * from a given table, attribute access on them (`user.commercial_partner_id.id`), unary minus
 * and `+` between lists, numbers or strings. Never eval: anything else is refused.
 */
export type PyValue = unknown;

type Tok = { t: 'num' | 'str' | 'name' | 'op'; v: string };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(\d+\.?\d*(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?)/i.exec(src.slice(i))!;
      out.push({ t: 'num', v: m[0] });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      // string prefixes r'', u'', b'' are not needed by Odoo's stored domains
      out.push({ t: 'name', v: m[0] });
      i += m[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = src.startsWith(c.repeat(3), i);
      const end = triple ? c.repeat(3) : c;
      let j = i + end.length;
      let s = '';
      while (j < src.length && !src.startsWith(end, j)) {
        if (src[j] === '\\') {
          const n = src[j + 1];
          const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };
          if (n === 'u' || n === 'x') {
            const len = n === 'u' ? 4 : 2;
            s += String.fromCharCode(parseInt(src.slice(j + 2, j + 2 + len), 16));
            j += 2 + len;
            continue;
          }
          s += esc[n] ?? '\\' + n;
          j += 2;
          continue;
        }
        if (!triple && src[j] === '\n') break;
        s += src[j++];
      }
      if (!src.startsWith(end, j)) throw valueError(`unterminated string in ${src}`);
      out.push({ t: 'str', v: s });
      i = j + end.length;
      continue;
    }
    if ('[](){},:.+-'.includes(c)) {
      out.push({ t: 'op', v: c });
      i++;
      continue;
    }
    throw valueError(`unsupported character ${JSON.stringify(c)} in expression ${src}`);
  }
  return out;
}

/** Names an expression may use; objects allow attribute access. */
export type PyNames = Record<string, unknown>;

/** Tokens per source text: record rule domains are the same few strings on every read. */
const tokensOf = boundedMemo<Tok[]>();

export function evalPyLiteral(src: string, names: PyNames = {}): PyValue {
  const toks = tokensOf(src, () => tokenize(src));
  let p = 0;
  const peek = () => toks[p];
  const take = (v?: string) => {
    const t = toks[p];
    if (!t || (v !== undefined && t.v !== v)) throw valueError(`malformed expression: ${src}`);
    p++;
    return t;
  };
  const isOp = (v: string) => peek()?.t === 'op' && peek()!.v === v;

  const seq = (close: string): unknown[] => {
    const items: unknown[] = [];
    while (!isOp(close)) {
      items.push(expr());
      if (!isOp(close)) take(',');
    }
    take(close);
    return items;
  };

  const atom = (): unknown => {
    const t = take();
    if (t.t === 'num') return Number(t.v);
    if (t.t === 'str') {
      let s = t.v;
      while (peek()?.t === 'str') s += take().v; // 'a' 'b' concatenation
      return s;
    }
    if (t.t === 'name') {
      if (t.v === 'True') return true;
      if (t.v === 'False') return false;
      if (t.v === 'None') return null;
      if (!(t.v in names)) throw valueError(`name '${t.v}' is not defined`);
      return names[t.v];
    }
    if (t.v === '[') return seq(']');
    if (t.v === '(') {
      // (x) is x; (x,) and (x, y) are tuples, which Odoo treats as lists
      if (isOp(')')) {
        take(')');
        return [];
      }
      const first = expr();
      if (isOp(')')) {
        take(')');
        return first;
      }
      take(',');
      return [first, ...seq(')')];
    }
    if (t.v === '{') {
      const obj: Record<string, unknown> = {};
      while (!isOp('}')) {
        const k = expr();
        take(':');
        obj[String(k)] = expr();
        if (!isOp('}')) take(',');
      }
      take('}');
      return obj;
    }
    if (t.v === '-') {
      const v = postfix();
      if (typeof v !== 'number') throw valueError(`bad operand type for unary -: ${src}`);
      return -v;
    }
    throw valueError(`malformed expression: ${src}`);
  };

  const postfix = (): unknown => {
    let v = atom();
    while (isOp('.')) {
      take('.');
      const name = take().v;
      if (v === null || typeof v !== 'object' || !(name in (v as object))) throw valueError(`no attribute '${name}' in ${src}`);
      v = (v as Record<string, unknown>)[name];
    }
    return v;
  };

  const expr = (): unknown => {
    let v = postfix();
    while (isOp('+')) {
      take('+');
      const r = postfix();
      if (Array.isArray(v) && Array.isArray(r)) v = [...v, ...r];
      else if (typeof v === 'number' && typeof r === 'number') v = v + r;
      else if (typeof v === 'string' && typeof r === 'string') v = v + r;
      else throw valueError(`unsupported operand types for +: ${src}`);
    }
    return v;
  };

  const value = expr();
  if (p !== toks.length) throw valueError(`malformed expression: ${src}`);
  return value;
}

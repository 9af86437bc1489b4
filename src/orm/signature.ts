import { typeError } from '../errors';

/**
 * Python's argument binding, so that execute_kw answers a wrong call with the TypeError text
 * Odoo's Python would raise ("BaseModel.search() missing 1 required positional argument:
 * 'domain'", "… got an unexpected keyword argument 'count'").
 */
export interface Param {
  name: string;
  /** Absent: required. */
  default?: unknown;
}

export interface Signature {
  /** 'BaseModel.search': what Python prints in its messages. */
  qualname: string;
  params: Param[];
  /** Name of a **kwargs parameter that collects unknown keywords, if any. */
  varKeywords?: string;
}

export const req = (name: string): Param => ({ name });
export const opt = (name: string, dflt: unknown): Param => ({ name, default: dflt });

function plural(n: number, word: string) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const quoteList = (names: string[]) => {
  const q = names.map((n) => `'${n}'`);
  if (q.length === 1) return q[0];
  if (q.length === 2) return `${q[0]} and ${q[1]}`;
  return q.slice(0, -1).join(', ') + ', and ' + q[q.length - 1];
};

/**
 * Binds positional and keyword arguments to the signature's parameters. `self` counts as the
 * first positional parameter in Python's messages, as it does in Odoo's tracebacks.
 */
export function bindArgs(sig: Signature, args: unknown[], kwargs: Record<string, unknown>): Record<string, unknown> {
  // Without a prototype: a keyword named `__proto__` or `constructor` is a name like any other.
  const bound: Record<string, unknown> = Object.create(null);
  const { params } = sig;
  const required = params.filter((p) => !('default' in p)).length;
  if (args.length > params.length) {
    const takes = required === params.length
      ? `${params.length + 1}`
      : `from ${required + 1} to ${params.length + 1}`;
    throw typeError(`${sig.qualname}() takes ${takes} positional argument${params.length === 0 ? '' : 's'} but ${args.length + 1} were given`);
  }
  args.forEach((a, i) => (bound[params[i].name] = a));
  const extra: Record<string, unknown> = Object.create(null);
  for (const [k, v] of Object.entries(kwargs)) {
    const p = params.find((x) => x.name === k);
    if (!p) {
      if (sig.varKeywords) {
        extra[k] = v;
        continue;
      }
      throw typeError(`${sig.qualname}() got an unexpected keyword argument '${k}'`);
    }
    if (k in bound) throw typeError(`${sig.qualname}() got multiple values for argument '${k}'`);
    bound[k] = v;
  }
  const missing = params.filter((p) => !(p.name in bound) && !('default' in p)).map((p) => p.name);
  if (missing.length) {
    throw typeError(`${sig.qualname}() missing ${plural(missing.length, 'required positional argument')}: ${quoteList(missing)}`);
  }
  for (const p of params) if (!(p.name in bound)) bound[p.name] = p.default;
  if (sig.varKeywords) bound[sig.varKeywords] = extra;
  return bound;
}

/**
 * Python's positional-argument binding errors, worded as CPython words them, for the
 * service functions Odoo exposes (exp_login(db, login, password), execute_kw(db, uid, obj,
 * method, args, kw=None), …): clients see the same TypeError Odoo would raise.
 */
import { typeError } from '../errors';

function quoteList(names: string[]): string {
  const q = names.map((n) => `'${n}'`);
  if (q.length === 1) return q[0];
  if (q.length === 2) return `${q[0]} and ${q[1]}`;
  return `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}

/**
 * Checks that `given` positional arguments fit `fname(params)` where the first `required`
 * params have no default. Throws TypeError like CPython otherwise.
 */
export function checkArity(fname: string, params: string[], required: number, given: number): void {
  if (given > params.length) {
    const takes = required === params.length ? `${params.length}` : `from ${required} to ${params.length}`;
    const plural = params.length === 1 && required === params.length ? 'argument' : 'arguments';
    throw typeError(`${fname}() takes ${takes} positional ${plural} but ${given} ${given === 1 ? 'was' : 'were'} given`);
  }
  if (given < required) {
    const missing = params.slice(given, required);
    throw typeError(`${fname}() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${quoteList(missing)}`);
  }
}

/** Python's f(**params) for a function of named parameters: the first missing required ones. */
export function checkKeywords(fname: string, required: string[], params: Record<string, unknown>): void {
  const missing = required.filter((name) => !Object.prototype.hasOwnProperty.call(params, name));
  if (missing.length) {
    throw typeError(`${fname}() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${quoteList(missing)}`);
  }
}

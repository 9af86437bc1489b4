import { Env } from '../env';

/**
 * Odoo's precomputed stored fields (precompute=True): computed from the other values before
 * the row is inserted, when the create does not give them (a program's currency follows its
 * company). Unlike defaults they depend on the values being created.
 */
export type Precompute = (env: Env, vals: Record<string, unknown>) => unknown | Promise<unknown>;

const precomputes = new Map<string, Map<string, Precompute>>();

export function precompute(model: string, field: string, fn: Precompute): void {
  const m = precomputes.get(model) ?? new Map<string, Precompute>();
  m.set(field, fn);
  precomputes.set(model, m);
}

/** `vals` completed with the precomputed fields it lacks. */
export async function withPrecomputed(env: Env, model: string, vals: Record<string, unknown>): Promise<Record<string, unknown>> {
  const own = precomputes.get(model);
  if (!own) return vals;
  const out = { ...vals };
  for (const [field, fn] of own) if (!(field in out)) out[field] = await fn(env, out);
  return out;
}

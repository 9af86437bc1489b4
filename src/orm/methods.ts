import { Env } from './env';

/**
 * Business methods that model files add to Odoo models (DESIGN decision 3: model files add
 * behaviour, not field lists). The ORM's dispatcher looks here before its generic methods,
 * so `execute_kw(…, 'pos.order', 'loyalty_preview', [order])` reaches the model file's code.
 * `args` and `kwargs` are exactly what the RPC call carried (after `model, method`).
 */
export type ModelMethod = (env: Env, args: unknown[], kwargs: Record<string, unknown>) => Promise<unknown>;

const methods = new Map<string, ModelMethod>();

export function defineMethod(model: string, name: string, impl: ModelMethod): void {
  const key = `${model}.${name}`;
  if (methods.has(key)) throw new Error(`method ${key} defined twice`);
  methods.set(key, impl);
}

export function findMethod(model: string, name: string): ModelMethod | undefined {
  return methods.get(`${model}.${name}`);
}

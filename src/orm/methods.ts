import { Env } from './env';

/**
 * Business methods that model files add to Odoo models (DESIGN decision 3: model files add
 * behaviour, not field lists). The ORM's dispatcher looks here before its generic methods,
 * so `execute_kw(…, 'pos.order', 'loyalty_preview', [order])` reaches the model file's code.
 * `args` and `kwargs` are exactly what the RPC call carried (after `model, method`).
 */
export type ModelMethod = ((env: Env, args: unknown[], kwargs: Record<string, unknown>) => Promise<unknown>) & {
  /** reads only, each read consistent on its own: runs on the pool, without BEGIN/COMMIT. */
  readonly?: boolean;
};

const methods = new Map<string, ModelMethod>();

export function defineMethod(model: string, name: string, impl: ModelMethod, options: { readonly?: boolean } = {}): void {
  const key = `${model}.${name}`;
  if (methods.has(key)) throw new Error(`method ${key} defined twice`);
  methods.set(key, Object.assign(impl, { readonly: !!options.readonly }));
}

export function findMethod(model: string, name: string): ModelMethod | undefined {
  return methods.get(`${model}.${name}`);
}

/** The business methods model files define for `model` (for the API discovery). */
export function listMethods(model: string): string[] {
  const prefix = `${model}.`;
  return [...methods.keys()].filter((k) => k.startsWith(prefix) && !k.slice(prefix.length).includes('.')).map((k) => k.slice(prefix.length));
}

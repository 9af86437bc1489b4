import { Env } from '../env';

/**
 * Model create overrides that adjust the values before anything else (Odoo's
 * `create(vals_list)` overrides that edit vals, e.g. loyalty.program dropping
 * trigger_product_ids for programs that are not gift cards or eWallets).
 */
export type CreateVals = (env: Env, vals: Record<string, unknown>) => Record<string, unknown> | Promise<Record<string, unknown>>;

const preparers = new Map<string, CreateVals>();

export function prepareCreate(model: string, fn: CreateVals): void {
  preparers.set(model, fn);
}

export async function preparedVals(env: Env, model: string, vals: Record<string, unknown>): Promise<Record<string, unknown>> {
  const fn = preparers.get(model);
  return fn ? fn(env, vals) : vals;
}

import { Env } from './env';
import { getRegistry } from './registry';
import { valueError } from '../errors';
import { pyRepr } from './pyrepr';
import { createRecords, writeRecords, unlinkRecords } from './write/records';
import { copyRecord } from './write/copy';
export { setActive } from './write/archive';

/**
 * Write side of the ORM, as execute_kw reaches it (call.ts binds Odoo's Python signatures
 * and passes `ids` as a list of integers, values as the caller sent them). Each runs in the
 * call's transaction; any error leaves nothing written.
 */

/** create(vals_list): a dict gives one id, a list of dicts gives a list of ids. */
export async function create(env: Env, model: string, valsList: unknown): Promise<number | number[]> {
  if (Array.isArray(valsList)) return createRecords(env, model, valsList);
  const [id] = await createRecords(env, model, [valsList]);
  return id;
}

export async function write(env: Env, model: string, ids: number[], vals: unknown): Promise<boolean> {
  await writeRecords(env, model, ids, vals);
  return true;
}

export async function unlink(env: Env, model: string, ids: number[]): Promise<boolean> {
  await unlinkRecords(env, model, ids);
  return true;
}

/** copy(default=None) on one record: the new record's id. */
export async function copy(env: Env, model: string, ids: number[], defaults: unknown): Promise<number> {
  const unique = [...new Set(ids)];
  if (unique.length !== 1) {
    await getRegistry(env.app).then((r) => r.model(model));
    throw valueError(`Expected singleton: ${model}(${unique.join(', ')}${unique.length === 1 ? ',' : ''})`);
  }
  if (defaults !== null && defaults !== undefined && defaults !== false && (typeof defaults !== 'object' || Array.isArray(defaults))) {
    throw valueError(`copy() expects a dict of default values, got ${pyRepr(defaults)}`);
  }
  return copyRecord(env, model, unique[0], (defaults || {}) as Record<string, unknown>);
}

import { Env } from '../env';
import { getRegistry } from '../registry';
import { PythonError } from '../../errors';
import { checkExist } from './guard';
import { writeRecords } from './records';

/**
 * action_archive / action_unarchive, through Odoo's toggle_active: only the records whose
 * state changes are written, then the model's toggle_active overrides run (archiving a
 * loyalty.program archives its rules, rewards and their discount products). Plain
 * write({'active': False}) does not run those overrides, as in Odoo.
 */
export type ToggleHook = (env: Env, ids: number[], active: boolean) => Promise<void>;

const toggleHooks = new Map<string, ToggleHook[]>();

export function afterToggleActive(model: string, hook: ToggleHook): void {
  toggleHooks.set(model, [...(toggleHooks.get(model) ?? []), hook]);
}

export async function setActive(env: Env, modelName: string, ids: number[], active: boolean): Promise<null> {
  const model = (await getRegistry(env.app)).model(modelName);
  if (!model.activeField) throw new PythonError('AssertionError', `No 'active' field on model ${model.name}`);
  const unique = [...new Set(ids)];
  await checkExist(env, model, unique);
  const rows: Array<{ id: number }> = await env.cr(model.table)
    .whereIn('id', unique)
    .where((q) => (active ? q.where(model.activeField!, false).orWhereNull(model.activeField!) : q.where(model.activeField!, true)))
    .select('id');
  const changing = rows.map((r) => r.id);
  if (!changing.length) return null;
  await writeRecords(env, model.name, changing, { [model.activeField]: active });
  for (const hook of toggleHooks.get(model.name) ?? []) await hook(env, changing, active);
  return null;
}

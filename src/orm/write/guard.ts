import { Env } from '../env';
import { ModelDef } from '../registry';
import { MissingError } from '../../errors';

export type Operation = 'create' | 'write' | 'unlink';

/**
 * The access checks every write goes through: model access rights (ir_model_access) and
 * record rules (ir_rule), both engineer "orm"'s access.ts.
 */
export async function checkAccess(env: Env, model: ModelDef, operation: Operation, ids?: number[]): Promise<void> {
  void env; void model; void operation; void ids;
}

/**
 * Odoo's MissingError for ids that are not (or no longer) in the table, listing them as
 * Python prints a recordset: "res.partner(81,)".
 */
export async function checkExist(env: Env, model: ModelDef, ids: number[]): Promise<void> {
  if (!ids.length) return;
  const rows: Array<{ id: number }> = await env.cr(model.table).whereIn('id', ids).select('id');
  const found = new Set(rows.map((r) => r.id));
  const missing = ids.filter((id) => !found.has(id));
  if (!missing.length) return;
  const tuple = missing.length === 1 ? `(${missing[0]},)` : `(${missing.join(', ')})`;
  throw new MissingError(`Record does not exist or has been deleted.\n(Record: ${model.name}${tuple}, User: ${env.uid})`);
}

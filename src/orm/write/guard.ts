import { Env } from '../env';
import { ModelDef } from '../registry';
import { MissingError } from '../../errors';
import { checkAccessRights, recordRuleError } from '../access';
import { ruleDomain, combine } from '../rules';
import { Scope, compileSearch } from '../domain';

export type Operation = 'create' | 'write' | 'unlink';

/**
 * The access checks every write goes through, engineer "orm"'s access rights
 * (ir_model_access, checked first, with Odoo's AccessError text) and record rules (ir_rule):
 * with `ids`, those records must satisfy the user's rules for the operation.
 */
export async function checkAccess(env: Env, model: ModelDef, operation: Operation, ids?: number[]): Promise<void> {
  if (!ids) {
    await checkAccessRights(env, model.name, operation);
    return;
  }
  if (!ids.length) return;
  const rule = await ruleDomain(env, model.name, operation);
  if (!rule) return;
  const scope = await Scope.of(env);
  const q = await compileSearch(scope, model, combine('&', [[['id', 'in', ids]], rule]), { activeTest: false, rules: false });
  const text = `SELECT count(*)::int AS n FROM ${q.from.text} WHERE ${q.where.text}`;
  const { rows } = await env.cr.raw(text, [...q.from.params, ...q.where.params] as never[]);
  if (rows[0].n === ids.length) return;
  throw await recordRuleError(env, model.name, operation);
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

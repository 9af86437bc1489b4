import { Env } from '../env';
import { ModelDef } from '../registry';
import { MissingError, valueError } from '../../errors';
import { checkAccessRights, recordRuleError } from '../access';
import { pyRepr } from '../pyrepr';
import { userInfo } from '../user';
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
  await checkRules(env, model, operation, ids);
}

/** Records the rules for `operation` exclude (existing ones: the caller checks existence) give Odoo's AccessError. */
async function checkRules(env: Env, model: ModelDef, operation: Operation | 'read', ids: number[]): Promise<void> {
  const unique = [...new Set(ids)];
  if (!unique.length) return;
  const rule = await ruleDomain(env, model.name, operation);
  if (!rule) return;
  const scope = await Scope.of(env);
  const q = await compileSearch(scope, model, combine('&', [[['id', 'in', unique]], rule]), { activeTest: false, rules: false });
  const text = `SELECT count(*)::int AS n FROM ${q.from.text} WHERE ${q.where.text}`;
  const { rows } = await env.cr.raw(text, [...q.from.params, ...q.where.params] as never[]);
  if (rows[0].n === unique.length) return;
  throw await recordRuleError(env, model.name, operation);
}

const RULE_MODES = ['read', 'write', 'create', 'unlink'];

/**
 * The public check_access_rule(operation): nothing when the user's record rules allow the
 * operation on the records, Odoo's AccessError when they exclude some. Odoo filters the
 * records with the rules' domain in Python, reading their fields, so ids that no longer exist
 * give its MissingError where a rule applies (and nothing where none does).
 */
export async function checkAccessRule(env: Env, model: ModelDef, operation: unknown, ids: number[]): Promise<null> {
  if ((await userInfo(env)).superuser) return null; // before the mode is looked at, as Odoo's env.su
  if (typeof operation !== 'string' || !RULE_MODES.includes(operation)) throw valueError(`Invalid mode: ${pyRepr(operation)}`);
  const mode = operation as Operation | 'read';
  if (!(await ruleDomain(env, model.name, mode))) return null;
  await checkExist(env, model, [...new Set(ids)]);
  await checkRules(env, model, mode, ids);
  return null;
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

import { Env } from '../env';
import { ModelDef } from '../registry';
import { MissingError, valueError } from '../../errors';
import { checkAccessRights, recordRuleError } from '../access';
import { pyRepr } from '../pyrepr';
import { userInfo } from '../user';
import { ruleDomain, combine, isRuleMode, RuleMode } from '../rules';
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
  if (rule) await checkRules(env, model, operation, [...new Set(ids)], rule);
}

/** Odoo's AccessError when `rule` excludes any of the (distinct, existing) records. */
async function checkRules(env: Env, model: ModelDef, operation: RuleMode, ids: number[], rule: unknown[]): Promise<void> {
  const scope = await Scope.of(env);
  const q = await compileSearch(scope, model, combine('&', [[['id', 'in', ids]], rule]), { activeTest: false, rules: false });
  const text = `SELECT count(*)::int AS n FROM ${q.from.text} WHERE ${q.where.text}`;
  const { rows } = await env.cr.raw(text, [...q.from.params, ...q.where.params] as never[]);
  if (rows[0].n === ids.length) return;
  throw await recordRuleError(env, model.name, operation);
}

/**
 * The public check_access_rule(operation): nothing when the user's record rules allow the
 * operation on the records, Odoo's AccessError when they exclude some. Odoo filters the
 * records with the rules' domain in Python, reading their fields, so ids that no longer exist
 * give its MissingError where a rule applies (and nothing where none does).
 */
export async function checkAccessRule(env: Env, model: ModelDef, operation: unknown, ids: number[]): Promise<null> {
  if ((await userInfo(env)).superuser) return null; // before the mode is looked at, as Odoo's env.su
  if (!isRuleMode(operation)) throw valueError(`Invalid mode: ${pyRepr(operation)}`);
  const rule = await ruleDomain(env, model.name, operation);
  const unique = [...new Set(ids)];
  if (!rule || !unique.length) return null;
  await checkExist(env, model, unique);
  await checkRules(env, model, operation, unique, rule);
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

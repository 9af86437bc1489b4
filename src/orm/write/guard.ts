import { Env } from '../env';
import { ModelDef } from '../registry';
import { AccessError, MissingError } from '../../errors';
import { checkAccessRights } from '../access';
import { ruleDomain, combine } from '../rules';
import { Scope, compileSearch } from '../domain';
import { contextLang } from '../columns';

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
  const lang = contextLang(env);
  const user = (
    await env.cr.raw(
      `select p.name, coalesce(m.name->>?, m.name->>'en_US') as model from res_users u join res_partner p on p.id = u.partner_id, ir_model m
        where u.id = ? and m.model = ?`,
      [lang, env.uid, model.name],
    )
  ).rows[0];
  throw new AccessError(
    `Uh-oh! Looks like you have stumbled upon some top-secret records.\n\nSorry, ${user?.name ?? ''} (id=${env.uid}) doesn't have '${operation}' access to:\n` +
      `- ${user?.model ?? model.name} (${model.name})\n\n` +
      'If you really, really need access, perhaps you can win over your friendly administrator with a batch of freshly baked cookies.',
  );
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

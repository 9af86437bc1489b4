import { Env } from './env';
import { AccessError, valueError } from '../errors';
import { userInfo } from './user';
import { contextLang } from './columns';
import { modelSecurity, Operation } from './security';
import { builtinLabel } from './builtin-models';

export type { Operation } from './security';

export { ruleDomain } from './rules';

/**
 * Access rights (ir_model_access): may the user read / write / create / unlink records of a
 * model at all? A row without group grants everyone; a row with a group grants its members
 * (implied groups included, see user.ts). Refusals carry Odoo 17's AccessError text.
 */

const VERB: Record<Operation, string> = { read: 'access', write: 'modify', create: 'create', unlink: 'delete' };

export async function hasAccess(env: Env, model: string, op: Operation): Promise<boolean> {
  const user = await userInfo(env);
  if (user.superuser) return true;
  const { access } = await modelSecurity(env, model);
  return access.some((a) => a[op] && (a.group === null || user.groups.has(a.group)));
}

/** check_access_rights: true, false (raiseException false), or Odoo's AccessError. */
export async function checkAccessRights(env: Env, model: string, op: Operation, raiseException = true): Promise<boolean> {
  if (!(op in VERB)) throw valueError('Invalid access mode');
  if (await hasAccess(env, model, op)) return true;
  if (!raiseException) return false;
  throw await accessError(env, model, op);
}

async function accessError(env: Env, model: string, op: Operation): Promise<AccessError> {
  const lang = contextLang(env);
  const { rows: desc } = await env.cr.raw(`select coalesce(name->>?, name->>'en_US') as name from ir_model where model = ?`, [lang, model]);
  // The groups the model's access rows grant the operation (ir_model_access, or a built-in model's own rows).
  const granting = (await modelSecurity(env, model)).access.filter((a) => a[op] && a.group !== null).map((a) => a.group!);
  const { rows } = await env.cr.raw(
    `select distinct case when c.id is null then coalesce(g.name->>?, g.name->>'en_US')
                          else coalesce(c.name->>?, c.name->>'en_US') || '/' || coalesce(g.name->>?, g.name->>'en_US') end as full_name
       from res_groups g left join ir_module_category c on c.id = g.category_id
      where g.id = any(?)`,
    [lang, lang, lang, granting],
  );
  const groups = (rows as Array<{ full_name: string }>).map((r) => r.full_name).sort();
  const groupInfo = groups.length
    ? `This operation is allowed for the following groups:\n${groups.map((g) => `\t- ${g}`).join('\n')}`
    : 'No group currently allows this operation.';
  return new AccessError(
    `You are not allowed to ${VERB[op]} '${desc[0]?.name ?? builtinLabel(model) ?? model}' (${model}) records.\n\n${groupInfo}\n\nContact your administrator to request access if necessary.`,
  );
}

/**
 * Odoo's AccessError for records the user's record rules exclude (ir.rule._make_access_error,
 * outside debug mode): who, which operation, which model.
 */
export async function recordRuleError(env: Env, model: string, operation: Operation): Promise<AccessError> {
  const lang = contextLang(env);
  const { rows } = await env.cr.raw(
    `select p.name, coalesce(m.name->>?, m.name->>'en_US') as model from res_users u join res_partner p on p.id = u.partner_id, ir_model m
      where u.id = ? and m.model = ?`,
    [lang, env.uid, model],
  );
  const user = rows[0] as { name: string; model: string } | undefined;
  return new AccessError(
    `Uh-oh! Looks like you have stumbled upon some top-secret records.\n\nSorry, ${user?.name ?? ''} (id=${env.uid}) doesn't have '${operation}' access to:\n` +
      `- ${user?.model ?? model} (${model})\n\n` +
      'If you really, really need access, perhaps you can win over your friendly administrator with a batch of freshly baked cookies.',
  );
}

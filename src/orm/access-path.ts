/**
 * The one access path of the entry points beside execute_kw: REST, hooks, the POS methods, the
 * preview and jobs reach Odoo's records through these two checks, as the calling user, so they
 * enforce exactly what the ORM enforces for the same records: access rights (ir_model_access,
 * Odoo's AccessError text), then record rules (ir_rule, multi-company rules included, for
 * the user's companies or the context's allowed_company_ids). The superuser passes, as
 * Odoo's env.su.
 */
import { Knex } from 'knex';
import { AppContext } from '../context';
import { Env } from './env';
import { checkAccessRights, Operation, recordRuleError } from './access';
import { checkExist } from './write/guard';
import { compileRules, Scope } from './domain';
import { ident, runSql, sql } from './sql';
import { getRegistry } from './registry';
import { ruleDomain } from './rules';
import { searchIds } from './search';
import { userInfo } from './user';

/** Odoo's superuser (__system__): what jobs and hooks run as unless told otherwise. */
export const SUPERUSER_ID = 1;

const envs = new WeakMap<object, Map<number, Env>>();

/**
 * The environment of user `uid` on `cr` (a transaction, or the pool for reads). Without a
 * context it is one object per (transaction, user), so the checks of one request load the
 * user's groups and a model's rules once (they are kept per Env), however many paths check.
 */
export function userEnv(app: AppContext, cr: Knex, uid: number | null, context?: Record<string, unknown>): Env {
  const user = uid ?? SUPERUSER_ID;
  if (context) return { cr: cr as Knex.Transaction, uid: user, context, app };
  let perCr = envs.get(cr);
  if (!perCr) envs.set(cr, (perCr = new Map()));
  let env = perCr.get(user);
  if (!env) perCr.set(user, (env = { cr: cr as Knex.Transaction, uid: user, context: {}, app }));
  return env;
}

/**
 * The user may do `op` on these records: access rights first (AccessError), then the records
 * must exist (MissingError, as Odoo's on a deleted record) and pass the user's record rules
 * for `op` (the record-rule AccessError).
 */
export async function requireRecords(env: Env, model: string, op: Operation, ids: number[]): Promise<void> {
  await checkAccessRights(env, model, op);
  const unique = [...new Set(ids)];
  if (!unique.length) return;
  const def = (await getRegistry(env.app)).model(model);
  const rule = (await userInfo(env)).superuser ? null : await ruleDomain(env, model, op);
  if (!rule) return checkExist(env, def, unique);
  // Existence and the rules in one statement: each id with whether the rules let it through.
  const scope = await Scope.of(env);
  const allowed = await compileRules(scope, def, def.table, rule);
  const rows = await runSql<{ id: number; ok: boolean | null }>(env.cr,
    sql`SELECT ${ident(def.table)}."id", (${allowed}) AS ok FROM ${ident(def.table)} AS ${ident(def.table)} WHERE ${ident(def.table)}."id" = ANY(${unique})`);
  if (rows.length < unique.length) await checkExist(env, def, unique); // Odoo's MissingError, naming the ids that are gone
  if (rows.some((r) => r.ok !== true)) throw await recordRuleError(env, model, op);
}

/**
 * Of `ids`, those the user may read (what a search as the user finds: rules applied, archived
 * records kept); AccessError when the user may not read the model at all.
 */
export async function readableIds(env: Env, model: string, ids: number[]): Promise<Set<number>> {
  await checkAccessRights(env, model, 'read');
  const unique = [...new Set(ids)];
  if (!unique.length) return new Set();
  if ((await userInfo(env)).superuser || !(await ruleDomain(env, model, 'read'))) return new Set(unique);
  return new Set(await searchIds({ ...env, context: { ...env.context, active_test: false } }, model, [['id', 'in', unique]]));
}

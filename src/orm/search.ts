import { Env } from './env';
import { Scope, searchSql, Domain } from './domain';
import { checkAccessRights } from './access';
import { runSql, sql } from './sql';
import { valueError } from '../errors';

export interface SearchParams {
  offset?: number;
  limit?: number | null;
  /** An Odoo order spec ('points desc, id'); the model's _order when absent. */
  order?: string | null;
}

/**
 * Ids of the records of `model` matching `domain`, as Odoo's search(): access rights,
 * record rules and active_test applied, ordered by `order` or the model's _order.
 */
export async function searchIds(env: Env, model: string, domain: Domain, params: SearchParams = {}): Promise<number[]> {
  const scope = await Scope.of(env);
  const m = scope.reg.model(model);
  await checkAccessRights(env, model, 'read');
  const q = await searchSql(scope, m, domain, {
    order: params.order || m.order,
    limit: intArg('limit', params.limit ?? null),
    offset: intArg('offset', params.offset ?? 0),
  });
  const rows = await runSql<{ id: number }>(env.cr, q);
  return rows.map((r) => r.id);
}

/** search_count(domain, limit=None). */
export async function searchCount(env: Env, model: string, domain: Domain, limit: number | null = null): Promise<number> {
  const scope = await Scope.of(env);
  const m = scope.reg.model(model);
  await checkAccessRights(env, model, 'read');
  const inner = await searchSql(scope, m, domain, { limit: intArg('limit', limit) });
  const rows = await runSql<{ n: number }>(env.cr, sql`SELECT count(*)::int AS n FROM (${inner}) AS c`);
  return rows[0].n;
}

/** Python accepts None/False for "no limit"; anything else must be an int. */
export function intArg(name: string, v: unknown): number | null {
  if (v === null || v === undefined || v === false) return null;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'number') return Math.trunc(v);
  throw valueError(`invalid ${name}: ${String(v)}`);
}

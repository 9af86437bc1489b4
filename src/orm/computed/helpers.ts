import { Scope, compileSearch } from '../domain';
import { checkAccessRights } from '../access';
import { combine, ruleDomain } from '../rules';
import { currencyRates as ratesOn } from '../currency';
import { sql, ident, raw, runSql } from '../sql';
import { RawValues } from '../compute';

/** Runs a query returning (id, value) rows and maps them onto `ids` (missing: `empty`). */
export async function byId(scope: Scope, ids: number[], query: string, params: unknown[], empty: unknown = null): Promise<RawValues> {
  const { rows } = await scope.env.cr.raw(query, params as never[]);
  const found = new Map<number, unknown>(rows.map((r: { id: number; value: unknown }) => [r.id, r.value]));
  return new Map(ids.map((id) => [id, found.has(id) ? found.get(id) : empty]));
}

/** Groups (id, value) rows into per-id lists. */
export async function listById(scope: Scope, ids: number[], query: string, params: unknown[]): Promise<RawValues> {
  const { rows } = await scope.env.cr.raw(query, params as never[]);
  const out: RawValues = new Map(ids.map((id) => [id, [] as unknown[]]));
  for (const r of rows as Array<{ id: number; value: unknown }>) (out.get(r.id) as unknown[] | undefined)?.push(r.value);
  return out;
}

/**
 * Odoo's `_read_group(domain, [field], ['__count'])` as the calling user (access rights and
 * record rules apply): how many records of `model` per value of the many2one `field`.
 */
export async function countPer(scope: Scope, modelName: string, domain: unknown[], field: string): Promise<Map<number, number>> {
  if (!scope.reg.has(modelName)) return new Map();
  const q = await groupSearch(scope, modelName, domain, {});
  const rows = await runSql<{ id: number; n: number }>(scope.env.cr,
    sql`SELECT ${ident(q.alias)}.${ident(field)} AS "id", count(*)::int AS "n" FROM ${q.from} WHERE ${q.where} GROUP BY 1`);
  return new Map(rows.map((r) => [r.id, r.n]));
}

export interface GroupOptions {
  /** compute_sudo=True fields: computed as the superuser (no access rights, no record rules). */
  sudo?: boolean;
  /** Read through another model's record rules (a report's, applied to the table it reports on). */
  rulesOf?: string;
}

/** FROM/WHERE of a _read_group: access rights and record rules of the user unless sudo. */
async function groupSearch(scope: Scope, modelName: string, domain: unknown[], opts: GroupOptions) {
  const model = scope.reg.model(modelName);
  if (opts.sudo || scope.sudo) return compileSearch(scope, model, domain, { rules: false });
  if (!opts.rulesOf) {
    await checkAccessRights(scope.env, modelName, 'read');
    return compileSearch(scope, model, domain);
  }
  const rules = await ruleDomain(scope.env, opts.rulesOf, 'read');
  return compileSearch(scope, model, rules ? [...combineAnd(domain, rules)] : domain, { rules: false });
}
const combineAnd = (a: unknown[], b: unknown[]) => (a.length ? combine('&', [a, b]) : b);

/** Each partner of `ids` with itself and all its descendants, archived ones included (child_of). */
export async function partnerTrees(scope: Scope, ids: number[]): Promise<Array<{ root: number; id: number }>> {
  const { rows } = await scope.env.cr.raw(
    `with recursive tree(root, id) as (select id, id from res_partner where id = any(?)
        union select tree.root, p.id from res_partner p join tree on p.parent_id = tree.id)
     select root, id from tree`, [ids]);
  return rows;
}

/** Counts per partner summed over each partner's tree, as pos/sale/supplier invoice counts are. */
export async function treeCounts(scope: Scope, ids: number[], modelName: string, domain: unknown[], field = 'partner_id'): Promise<RawValues> {
  const tree = await partnerTrees(scope, ids);
  const counts = await countPer(scope, modelName, [[field, 'in', [...new Set(tree.map((t) => t.id))]], ...domain], field);
  const out: RawValues = new Map(ids.map((id) => [id, 0]));
  for (const t of tree) out.set(t.root, (out.get(t.root) as number) + (counts.get(t.id) ?? 0));
  return out;
}

/** A field whose value is the same for every record (a default Odoo never stores). */
export const constant = (value: unknown) => async (_scope: Scope, ids: number[]): Promise<RawValues> => new Map(ids.map((id) => [id, value]));

/**
 * `_read_group(domain, [field], [aggregates])` as the calling user (rights and record rules):
 * per value of the many2one `field`, the SQL aggregates named by their keys over the model's alias `t`.
 */
export async function aggregatePer(scope: Scope, modelName: string, domain: unknown[], field: string, aggregates: Record<string, string>, opts: GroupOptions = {}): Promise<Map<number, Record<string, number>>> {
  if (!scope.reg.has(modelName)) return new Map();
  const q = await groupSearch(scope, modelName, domain, opts);
  const alias = ident(q.alias).text;
  const select = Object.entries(aggregates).map(([k, expr]) => `, ${expr.replace(/\bt\./g, `${alias}.`)} AS ${ident(k).text}`).join('');
  const rows = await runSql<Record<string, unknown> & { id: number }>(scope.env.cr,
    sql`SELECT ${ident(q.alias)}.${ident(field)} AS "id"${raw(select)} FROM ${q.from} WHERE ${q.where} GROUP BY 1`);
  return new Map(rows.map((r) => [r.id, Object.fromEntries(Object.keys(aggregates).map((k) => [k, Number(r[k] ?? 0)]))]));
}

/** res.currency._get_rates on the call's transaction (src/orm/currency.ts). */
export const currencyRates = (scope: Scope, currencyIds: number[], companyId: number, date: string) => ratesOn(scope.env.cr, currencyIds, companyId, date);

/** Today in the user's time zone (fields.Date.context_today), as YYYY-MM-DD. */
export async function contextToday(scope: Scope): Promise<string> {
  const tz = typeof scope.env.context.tz === 'string' ? scope.env.context.tz : null;
  const { rows } = await scope.env.cr.raw(
    `select to_char((now() at time zone coalesce(?, (select p.tz from res_users u join res_partner p on p.id = u.partner_id where u.id = ?), 'UTC'))::date, 'YYYY-MM-DD') as d`,
    [tz, scope.env.uid]);
  return rows[0].d;
}

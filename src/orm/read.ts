import { Env } from './env';
import { FieldDef, ModelDef } from './registry';
import { userInfo } from './user';
import { visibleTo } from './fields_get';
import { servedNames } from './served';
import { Scope, compileSearch, compileRules, orderToSql } from './domain';
import { fieldExpr } from './columns';
import { sql, ident, joinSql, runSql, Sql, raw, tableAlias } from './sql';
import { toWire, emptyValue } from './fields';
import { findCompute, RawValues } from './compute';
import { displayNames, displayNameSql } from './display_name';
import './computed';
import { checkAccessRights, recordRuleError } from './access';
import { valueError } from '../errors';
import { ruleDomain } from './rules';

/**
 * read(): values of records for the wire. Internally values are first read "raw" (many2one:
 * id or null, x2many: id lists in the comodel's order, scalars as SQL gives them) in one
 * query per table or relation, then shaped per field type, many2one as [id, display_name].
 */
export type Row = Record<string, unknown>;
export type Load = '_classic_read' | '' | false | null | string;

/** The requested field names, checked like Odoo (a string is iterated per character). */
export function checkFieldNames(model: ModelDef, fields: unknown): string[] | null {
  if (fields === null || fields === undefined || fields === false) return null;
  const names = typeof fields === 'string' ? [...fields] : Array.isArray(fields) ? fields : null;
  if (!names) throw valueError(`Invalid field ${JSON.stringify(fields)} on model '${model.name}'`);
  if (names.length === 0) return null;
  for (const n of names) {
    if (typeof n !== 'string' || !model.fields.has(n)) throw valueError(`Invalid field '${String(n)}' on model '${model.name}'`);
  }
  return names as string[];
}

/**
 * The fields read()/search_read() answer for `fields` as the client gave it: the named ones
 * (refused when one is not served, served.ts), else every served field the user may see
 * (a field restricted to groups the user is not in is left out, as Odoo's read(fields=None)).
 */
export async function readFieldNames(scope: Scope, model: ModelDef, fields: unknown): Promise<string[]> {
  const named = checkFieldNames(model, fields);
  if (named) return servedNames(scope.reg, model, named);
  const user = await userInfo(scope.env);
  return servedNames(scope.reg, model, null).filter((n) => visibleTo(model.fields.get(n)!, user.groups, user.superuser));
}

/** read(ids, fields, load) as the user: access rights, then the records that exist, in the order asked. */
export async function read(env: Env, modelName: string, ids: number[], fields: unknown, load: Load = '_classic_read'): Promise<Row[]> {
  const scope = await Scope.of(env);
  const model = scope.reg.model(modelName);
  await checkAccessRights(env, modelName, 'read');
  const names = await readFieldNames(scope, model, fields);
  return readWith(scope, model, ids, names, load);
}

/** read() after access checks: the records' columns and their existence / rule check come from one query. */
export async function readWith(scope: Scope, model: ModelDef, ids: number[], names: string[], load: Load): Promise<Row[]> {
  const unique = [...new Set(ids)];
  if (!unique.length) return [];
  const fields = names.filter((n) => n !== 'id').map((n) => model.fields.get(n)!);
  let filter: Sql | null = null;
  const rules = await ruleDomain(scope.env, model.name, 'read');
  if (rules) filter = await compileRules(scope, model, model.table, rules);
  const rows = await readRows(scope, model, unique, fields, filter, load === '_classic_read');
  if (filter && rows.found.length < unique.length) await refuseHidden(scope, model, unique, rows.found);
  const shaped = await shape(scope, rows.found, fields, rows.values, load, rows.names);
  return ids.filter((id) => shaped.has(id)).map((id) => ({ ...shaped.get(id)! }));
}

/** Records that exist but that the record rules hide: Odoo refuses the whole read. */
async function refuseHidden(scope: Scope, model: ModelDef, asked: number[], found: number[]): Promise<void> {
  const seen = new Set(found);
  const rest = asked.filter((id) => !seen.has(id));
  const { rows } = await scope.env.cr.raw(`select 1 from "${model.table}" where id = any(?) limit 1`, [rest]);
  if (rows.length) throw await recordRuleError(scope.env, model.name, 'read');
}

/** Raw values of `fields` for `ids` (which must exist), as one map per field name. */
export async function readRaw(scope: Scope, model: ModelDef, ids: number[], fields: FieldDef[]): Promise<Map<string, RawValues>> {
  return (await readRows(scope, model, ids, fields, null)).values;
}

/**
 * One query for the ids that exist (and match `filter`) with their columns, then the other
 * fields of those records, one query per relation or compute.
 */
async function readRows(scope: Scope, model: ModelDef, ids: number[], fields: FieldDef[], filter: Sql | null, withNames = false): Promise<{ found: number[]; values: Map<string, RawValues>; names: Names }> {
  if (!ids.length) return { found: [], values: new Map(fields.map((f) => [f.name, new Map()])), names: new Map() };
  const alias = model.table;
  const where = sql`${ident(alias)}."id" = ANY(${ids})${filter ? sql` AND (${filter})` : raw('')}`;
  return readSelected(scope, model, fields, sql`${ident(model.table)} AS ${ident(alias)}`, where, raw(''), withNames);
}

/** Display names already known, per comodel (joined into the row query). */
type Names = Map<string, Map<number, unknown>>;

/**
 * The stored columns of the rows FROM/WHERE selects (in `tail`'s order), then the other
 * fields. With `withNames`, many2one columns whose comodel names its records by one SQL
 * expression get that name joined in, saving a query per comodel.
 */
async function readSelected(scope: Scope, model: ModelDef, fields: FieldDef[], from: Sql, where: Sql, tail: Sql, withNames = false): Promise<{ found: number[]; values: Map<string, RawValues>; names: Names }> {
  const values = new Map<string, RawValues>();
  const names: Names = new Map();
  const columns = fields.filter((f) => f.column || (f.companyDependent && f.type !== 'one2many' && f.type !== 'many2many'));
  const alias = model.table;
  const exprs: Sql[] = [];
  const joins: Sql[] = [];
  const named: Array<[FieldDef, number]> = [];
  columns.forEach((f, i) => {
    const expr = fieldExpr(scope, model, alias, f);
    exprs.push(sql`, ${expr} AS ${ident('c' + i)}`);
    if (!withNames || f.type !== 'many2one' || !scope.reg.has(f.relation!)) return;
    const comodel = scope.reg.model(f.relation!);
    const coalias = tableAlias(alias, `name_${i}`);
    const name = displayNameSql(scope, comodel, coalias);
    if (!name) return;
    joins.push(sql` LEFT JOIN ${ident(comodel.table)} AS ${ident(coalias)} ON ${ident(coalias)}."id" = ${expr}`);
    exprs.push(sql`, ${name} AS ${ident('n' + i)}`);
    named.push([f, i]);
  });
  const q = sql`SELECT ${ident(alias)}."id"${joinSql(exprs, '')} FROM ${from}${joinSql(joins, '')} WHERE ${where}${tail}`;
  const rows = await runSql(scope.env.cr, q);
  const found = rows.map((r: Row) => r.id as number);
  columns.forEach((f, i) => values.set(f.name, new Map(rows.map((r: Row) => [r.id as number, r['c' + i]]))));
  for (const [f, i] of named) {
    const map = names.get(f.relation!) ?? new Map<number, unknown>();
    for (const r of rows as Row[]) if (typeof r['c' + i] === 'number') map.set(r['c' + i] as number, r['n' + i]);
    names.set(f.relation!, map);
  }
  for (const f of fields) {
    if (values.has(f.name)) continue;
    values.set(f.name, await readOther(scope, model, found, f));
  }
  return { found, values, names };
}

/**
 * search_read in one query for the search and the stored columns (Odoo runs a search, then
 * a read: the same rows, one round trip less).
 */
export async function searchRead(scope: Scope, model: ModelDef, domain: unknown, names: string[], opts: { order: string | null; limit: number | null; offset: number }, load: Load): Promise<Row[]> {
  await checkAccessRights(scope.env, model.name, 'read');
  const q = await compileSearch(scope, model, domain, { order: opts.order || model.order });
  let tail = q.orderBy && q.orderBy.text ? sql` ORDER BY ${q.orderBy}` : raw('');
  if (opts.limit) tail = sql`${tail} LIMIT ${opts.limit}`; // 0 is no limit, as in Odoo
  if (opts.offset) tail = sql`${tail} OFFSET ${opts.offset}`;
  const fields = names.filter((n) => n !== 'id').map((n) => model.fields.get(n)!);
  const rows = await readSelected(scope, model, fields, q.from, q.where, tail, load === '_classic_read');
  const shaped = await shape(scope, rows.found, fields, rows.values, load, rows.names);
  return rows.found.map((id) => ({ ...shaped.get(id)! }));
}

async function readOther(scope: Scope, model: ModelDef, ids: number[], f: FieldDef): Promise<RawValues> {
  // a field inherited through _inherits (res.users' mail fields are its partner's) is the
  // parent's, read as the user (Odoo's inherited fields are not related_sudo)
  if (f.inheritedFrom && f.related) return followPath(scope, model, ids, f.related.split('.'));
  const compute = findCompute(model.name, f.name);
  if (compute) return compute(scope, ids, model);
  if (f.name === 'display_name') return displayNames(scope, model, ids);
  if (f.type === 'one2many' && f.store) return readOne2many(scope, model, ids, f);
  if (f.type === 'many2many' && f.store) return readMany2many(scope, model, ids, f);
  if (f.related) return readRelated(scope, model, ids, f.related.split('.'));
  const empty = f.type === 'one2many' || f.type === 'many2many' ? () => [] : () => null;
  return new Map(ids.map((id) => [id, empty()]));
}

/**
 * A related (or inherited) field: follow the path one relation at a time, as the superuser
 * (Odoo's related fields are related_sudo by default).
 */
export async function readRelated(scope: Scope, model: ModelDef, ids: number[], path: string[]): Promise<RawValues> {
  return followPath(scope.asSudo(), model, ids, path);
}

async function followPath(scope: Scope, model: ModelDef, ids: number[], path: string[]): Promise<RawValues> {
  const first = model.fields.get(path[0]);
  if (!first) return new Map(ids.map((id) => [id, null]));
  const firstValues = (await readRaw(scope, model, ids, [first])).get(first.name)!;
  if (path.length === 1) return firstValues;
  const comodel = scope.reg.model(first.relation ?? '');
  const targets = new Set<number>();
  for (const v of firstValues.values()) {
    if (typeof v === 'number') targets.add(v);
    else if (Array.isArray(v)) v.forEach((x) => targets.add(x));
  }
  const rest = await followPath(scope, comodel, [...targets], path.slice(1));
  const last = lastField(scope, comodel, path.slice(1));
  const x2 = last && (last.type === 'one2many' || last.type === 'many2many');
  return new Map(ids.map((id) => {
    const v = firstValues.get(id);
    if (typeof v === 'number') return [id, rest.get(v) ?? (x2 ? [] : null)];
    if (Array.isArray(v) && v.length) {
      // a related field through an x2many takes the first record's value, as Odoo does
      return [id, rest.get(v[0]) ?? (x2 ? [] : null)];
    }
    return [id, x2 ? [] : null];
  }));
}

function lastField(scope: Scope, model: ModelDef, path: string[]): FieldDef | undefined {
  const f = model.fields.get(path[0]);
  if (!f || path.length === 1) return f;
  return lastField(scope, scope.reg.model(f.relation ?? ''), path.slice(1));
}

/**
 * Comodel rows in the comodel's _order, restricted to active ones when active_test applies.
 * Ties (three groups named "Administrator") come in id order, as they come out of Odoo's plan.
 */
async function comodelOrder(scope: Scope, comodel: ModelDef, alias: string): Promise<{ joins: Sql[]; order: Sql }> {
  const joins: Sql[] = [];
  const order = orderToSql(scope, comodel, alias, comodel.order, joins);
  return { joins, order };
}

/** The comodel's read record rules on `alias` (x2many reads apply them, as Odoo's _apply_ir_rules). */
async function comodelRules(scope: Scope, comodel: ModelDef, alias: string): Promise<Sql> {
  if (scope.sudo) return raw('');
  const rules = await ruleDomain(scope.env, comodel.name, 'read');
  return rules ? sql` AND (${await compileRules(scope, comodel, alias, rules)})` : raw('');
}

function activeFilter(scope: Scope, comodel: ModelDef, alias: string): Sql {
  if (!comodel.activeField || scope.env.context.active_test === false) return raw('');
  return sql` AND ${ident(alias)}.${ident(comodel.activeField)} = true`;
}

/** Mail's one2many fields point at res_id and need the model name too. */
function resModelFilter(model: ModelDef, f: FieldDef, alias: string): Sql {
  if (f.relationField !== 'res_id') return raw('');
  if (f.relation === 'mail.message') {
    const extra = f.name === 'website_message_ids'
      ? sql` AND ${ident(alias)}."message_type" IN ('comment', 'email', 'email_outgoing')`
      : sql` AND ${ident(alias)}."message_type" != 'user_notification'`;
    return sql` AND ${ident(alias)}."model" = ${model.name}${extra}`;
  }
  return sql` AND ${ident(alias)}."res_model" = ${model.name}`;
}

/**
 * One2many lines as Odoo's One2many.read searches them: the comodel's read access is checked
 * and its record rules apply (the user sees only the lines they may read).
 */
async function readOne2many(scope: Scope, model: ModelDef, ids: number[], f: FieldDef): Promise<RawValues> {
  const comodel = scope.reg.model(f.relation ?? '');
  if (!scope.sudo) await checkAccessRights(scope.env, comodel.name, 'read');
  const alias = comodel.table;
  const { joins, order } = await comodelOrder(scope, comodel, alias);
  // An inverse inherited through _inherits (product.document's res_id lives on ir_attachment)
  // is read on the parent row, joined as Odoo joins it.
  const invField = comodel.fields.get(f.relationField ?? '');
  let owner = alias;
  if (invField?.inheritedFrom) {
    const parent = scope.reg.model(invField.inheritedFrom.parentModel);
    owner = tableAlias(alias, invField.inheritedFrom.parentField);
    // the comodel's _order may have joined the parent already, under the same alias
    if (!joins.some((j) => j.text.includes(`AS "${owner}"`))) joins.unshift(sql`JOIN ${ident(parent.table)} AS ${ident(owner)} ON ${ident(owner)}."id" = ${ident(alias)}.${ident(invField.inheritedFrom.parentField)}`);
  }
  const inverse = ident(f.relationField ?? '');
  const active = f.readDomain ? sql`${activeFilter(scope, comodel, alias)} AND (${await compileRules(scope, comodel, alias, f.readDomain)})` : activeFilter(scope, comodel, alias);
  const q = sql`SELECT ${ident(alias)}."id", ${ident(owner)}.${inverse} AS "owner" FROM ${ident(comodel.table)} AS ${ident(alias)} ${joinSql(joins, ' ')}
    WHERE ${ident(owner)}.${inverse} = ANY(${ids})${active}${resModelFilter(model, f, owner)}${await comodelRules(scope, comodel, alias)}
    ORDER BY ${order.text ? sql`${order}, ${ident(alias)}."id"` : raw(`"${alias}"."id"`)}`;
  const rows = await runSql<{ id: number; owner: number }>(scope.env.cr, q);
  return groupIds(ids, rows);
}

async function readMany2many(scope: Scope, model: ModelDef, ids: number[], f: FieldDef): Promise<RawValues> {
  const comodel = scope.reg.model(f.relation ?? '');
  const alias = comodel.table;
  const rel = ident(f.relationTable ?? '');
  const { joins, order } = await comodelOrder(scope, comodel, alias);
  const q = sql`SELECT ${ident(alias)}."id", ${rel}.${ident(f.column1 ?? '')} AS "owner"
    FROM ${rel} JOIN ${ident(comodel.table)} AS ${ident(alias)} ON ${ident(alias)}."id" = ${rel}.${ident(f.column2 ?? '')} ${joinSql(joins, ' ')}
    WHERE ${rel}.${ident(f.column1 ?? '')} = ANY(${ids})${activeFilter(scope, comodel, alias)}${await comodelRules(scope, comodel, alias)}
    ORDER BY ${order.text ? sql`${order}, ${ident(alias)}."id"` : raw(`"${alias}"."id"`)}`;
  const rows = await runSql<{ id: number; owner: number }>(scope.env.cr, q);
  return groupIds(ids, rows);
}

function groupIds(ids: number[], rows: Array<{ id: number; owner: number }>): RawValues {
  const out: RawValues = new Map(ids.map((id) => [id, [] as number[]]));
  for (const r of rows) (out.get(r.owner) as number[] | undefined)?.push(r.id);
  return out;
}

/** Raw values → wire values; many2one pairs get their comodel's display names in one go. */
async function shape(scope: Scope, ids: number[], fields: FieldDef[], raws: Map<string, RawValues>, load: Load, known: Names): Promise<Map<number, Row>> {
  const names: Names = new Map(known);
  if (load === '_classic_read') {
    const wanted = new Map<string, Set<number>>();
    for (const f of fields) {
      if (f.type !== 'many2one') continue;
      const set = wanted.get(f.relation!) ?? new Set<number>();
      const have = names.get(f.relation!);
      for (const v of raws.get(f.name)!.values()) if (typeof v === 'number' && !have?.has(v)) set.add(v);
      wanted.set(f.relation!, set);
    }
    for (const [comodel, set] of wanted) {
      if (!set.size || !scope.reg.has(comodel)) continue;
      const found = await displayNames(scope, scope.reg.model(comodel), [...set]);
      names.set(comodel, new Map([...(names.get(comodel) ?? []), ...found]));
    }
  }
  const out = new Map<number, Row>();
  for (const id of ids) {
    const row: Row = { id };
    for (const f of fields) {
      const v = raws.get(f.name)!.get(id);
      row[f.name] = shapeValue(f, v, load, names);
    }
    out.set(id, row);
  }
  return out;
}

function shapeValue(f: FieldDef, v: unknown, load: Load, names: Names): unknown {
  switch (f.type) {
    case 'many2one':
      if (typeof v !== 'number') return false;
      if (load !== '_classic_read') return v;
      return [v, (names.get(f.relation!)?.get(v) as string | undefined) ?? false];
    case 'one2many':
    case 'many2many':
      return Array.isArray(v) ? v : [];
    default:
      return v === undefined ? emptyValue(f) : toWire(f, v);
  }
}

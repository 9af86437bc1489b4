import { Env } from './env';
import { FieldDef, ModelDef } from './registry';
import { Scope, compileSearch, orderToSql } from './domain';
import { fieldExpr, contextLang } from './columns';
import { displayNames } from './display_name';
import { checkAccessRights } from './access';
import { Sql, sql, ident, raw, joinSql, runSql, tableAlias } from './sql';
import { pyFloat } from './float';
import { valueError } from '../errors';
import { pyRepr } from './pyrepr';
import { Granularity, GRANULARITIES, groupLabel, nextStart, dateTimeFormat } from './read_group_labels';
import { fillTemporal, FillOptions } from './read_group_fill';
import { boundedMemo } from './memo';

/**
 * read_group as Odoo 17's public method answers it: groups by fields (dates by
 * :day/:week/:month/:quarter/:year, month by default), aggregates (sum, avg, min, max, count,
 * count_distinct, bool_and/bool_or, array_agg), lazy grouping (<field>_count and __context)
 * or not (__count), orderby over groupbys and aggregates, limit/offset, and each group's
 * __domain (and __range for dates), many2one and many2many values as (id, display_name),
 * date labels in the context language.
 */

/** read_group's arguments after binding Odoo's signature. */
export interface ReadGroupArgs {
  domain: unknown;
  fields: unknown;
  groupby: unknown;
  offset: unknown;
  limit: unknown;
  orderby: unknown;
  lazy: unknown;
}

const AGGREGATES: Record<string, (e: Sql, idCol: Sql) => Sql> = {
  sum: (e) => sql`SUM(${e})`,
  avg: (e) => sql`AVG(${e})`,
  max: (e) => sql`MAX(${e})`,
  min: (e) => sql`MIN(${e})`,
  bool_and: (e) => sql`BOOL_AND(${e})`,
  bool_or: (e) => sql`BOOL_OR(${e})`,
  array_agg: (e, id) => sql`ARRAY_AGG(${e} ORDER BY ${id})`,
  count: (e) => sql`COUNT(${e})`,
  count_distinct: (e) => sql`COUNT(DISTINCT ${e})`,
};

/** The aggregate Odoo applies to a plain field name in `fields` (its group_operator). */
const DEFAULT_OPERATOR: Partial<Record<string, string>> = { integer: 'sum', float: 'sum', monetary: 'sum' };

const FIELD_AGG = /^(\w+)(?::(\w+)(?:\((\w+)\))?)?/;
const GROUP_SPEC = /^(\w+)(\.(\w+))?(?::(\w+))?$/;
const ORDER_PART = /^\s*((?:[a-z0-9_]+|"[a-z0-9_]+")(?:\.[a-z0-9_]+)?(?::[a-z_]+)?)(?:\s+(desc|asc))?(?:\s+(nulls first|nulls last))?\s*$/i;

interface GroupSpec {
  key: string;
  spec: string;
  field: FieldDef;
  granularity: Granularity | null;
}

function invalidField(model: ModelDef, name: string) {
  return valueError(`Invalid field ${pyRepr(name)} on model ${pyRepr(model.name)}`);
}

function parseGroupSpec(model: ModelDef, spec: string): { field: FieldDef; granularity: string | null } {
  const m = GROUP_SPEC.exec(spec);
  if (!m) {
    throw valueError(
      `Invalid aggregate/groupby specification ${pyRepr(spec)}.\n- Valid aggregate specification looks like "<field_name>:<agg>" example: "quantity:sum".\n` +
        `- Valid groupby specification looks like "<no_datish_field_name>" or "<datish_field_name>:<granularity>" example: "date:month" or "<properties_field_name>.<property>:<granularity>".`,
    );
  }
  const field = model.fields.get(m[1]);
  if (!field) throw invalidField(model, m[1]);
  return { field, granularity: m[4] ?? null };
}

const ARITY: Record<string, number> = { '!': 1, '&': 2, '|': 2 };

/** Python's expression.normalize_domain, then AND of two domains as expression.AND gives it. */
function normalize(domain: unknown[]): unknown[] {
  if (!domain.length) return [[1, '=', 1]];
  const out: unknown[] = [];
  let expected = 1;
  for (const token of domain) {
    if (expected === 0) {
      out.unshift('&');
      expected = 1;
    }
    if (Array.isArray(token)) expected -= 1;
    else expected += (ARITY[String(token)] ?? 0) - 1;
    out.push(token);
  }
  return out;
}

/** Whether a domain is Odoo's TRUE_DOMAIN, [(1, '=', 1)]. */
function isTrue(d: unknown[]): boolean {
  const leaf = d.length === 1 ? d[0] : null;
  return Array.isArray(leaf) && leaf.length === 3 && leaf[0] === 1 && leaf[1] === '=' && leaf[2] === 1;
}

/**
 * expression.AND([a, b]) where `a` is already normalized ([] for no condition): each group's
 * __domain extends the call's domain, normalized once per call rather than once per group.
 */
function andNormalized(a: unknown[], b: unknown[]): unknown[] {
  const right = b.length && !isTrue(b) ? normalize(b) : null;
  if (!right) return a;
  return a.length ? ['&', ...a, ...right] : right;
}

const asInt = (v: unknown, dflt: number | null): number | null =>
  v === null || v === undefined || v === false ? dflt : typeof v === 'number' ? v : Number(v);

export async function readGroup(env: Env, modelName: string, args: ReadGroupArgs): Promise<unknown[]> {
  const scope = await Scope.of(env);
  const model = scope.reg.model(modelName);
  await checkAccessRights(env, model.name, 'read');
  const domain = Array.isArray(args.domain) ? args.domain : [];
  const groupby = typeof args.groupby === 'string' ? [args.groupby] : Array.isArray(args.groupby) ? (args.groupby as string[]) : [];
  const lazy = args.lazy === undefined || args.lazy === null ? true : !!args.lazy;
  const lazyGroupby = lazy ? groupby.slice(0, 1) : groupby;
  const lang = contextLang(env);

  // Groupby keys as the answer names them, with Odoo's default 'month' for dates.
  const groups: GroupSpec[] = lazyGroupby.map((spec) => {
    if (typeof spec !== 'string') throw valueError(`Invalid groupby ${pyRepr(spec)}`);
    const { field, granularity } = parseGroupSpec(model, spec);
    if (field.type === 'date' || field.type === 'datetime') {
      const g = granularity ?? 'month';
      if (!GRANULARITIES.includes(g as Granularity)) throw valueError(`Granularity specification isn't correct: ${pyRepr(g)}`);
      return { key: spec, spec: `${field.name}:${g}`, field, granularity: g as Granularity };
    }
    if (granularity) throw valueError(`Granularity set on a no-datetime field or property: ${pyRepr(spec)}`);
    return { key: spec, spec, field, granularity: null };
  });

  // Aggregates: key in the answer → [field, function] ('__count' counts rows).
  const countKey = lazy && lazyGroupby.length === 1 ? `${lazyGroupby[0].split(':')[0]}_count` : '__count';
  const aggregates = new Map<string, { spec: string; field: FieldDef | null; func: string }>([[countKey, { spec: '__count', field: null, func: 'count' }]]);
  const fields = Array.isArray(args.fields) ? args.fields : [];
  for (const fieldSpec of fields) {
    if (fieldSpec === '__count') continue;
    const m = typeof fieldSpec === 'string' ? FIELD_AGG.exec(fieldSpec) : null;
    if (!m) throw valueError(`Invalid field specification ${pyRepr(fieldSpec)}.`);
    const [, name, func, fname] = m;
    if (fname || func) {
      const target = fname ?? name;
      const field = model.fields.get(target);
      if (!field) throw invalidField(model, target);
      if (!AGGREGATES[func!]) throw valueError(`Invalid aggregation function ${pyRepr(func)}.`);
      aggregates.set(name, { spec: `${target}:${func}`, field, func: func! });
      continue;
    }
    const field = model.fields.get(name);
    if (!field) throw invalidField(model, name);
    const operator = DEFAULT_OPERATOR[field.type];
    if (sqlable(field) && !field.companyDependent && operator && !groups.some((g) => g.key === fieldSpec)) {
      aggregates.set(name, { spec: `${name}:${operator}`, field, func: operator });
    }
  }

  const q = await compileSearch(scope, model, domain, {});
  const joins: Sql[] = [];
  const alias = q.alias;

  const groupExprs = new Map<string, Sql>();
  const groupAlias = (spec: string) => ident(`g${[...groupExprs.keys()].indexOf(spec)}`);
  const weekShift = groups.some((g) => g.granularity === 'week') ? await weekOffset(env) : 0;
  for (const g of groups) groupExprs.set(g.spec, groupExpr(scope, model, alias, g, joins, env, weekShift));

  const aggExprs = new Map<string, Sql>();
  for (const [key, a] of aggregates) {
    if (!a.field) {
      aggExprs.set(key, sql`COUNT(*)`);
      continue;
    }
    if (!sqlable(a.field) || a.field.type === 'one2many') throw valueError(`Cannot convert field ${a.field.model}.${a.field.name} to SQL`);
    const expr = valueExpr(scope, model, alias, a.field, joins);
    aggExprs.set(key, AGGREGATES[a.func](expr, sql`${ident(alias)}."id"`));
  }

  // Order: the caller's terms mapped onto groupby/aggregate specs, else the groupbys.
  let order: string;
  if (typeof args.orderby === 'string' && args.orderby) {
    order = args.orderby.split(',').map((term) => {
      let t = term.trim();
      const candidates: Array<[string, string]> = [
        ...[...groups].reverse().map((g): [string, string] => [g.key.split(':')[0], g.spec]),
        ...[...aggregates].map(([k, a]): [string, string] => [k.split(':')[0], a.spec]),
      ];
      for (const [name, spec] of candidates) {
        if (t.startsWith(`${name} `) || t === name) {
          t = t.split(name).join(spec);
          break;
        }
      }
      return t;
    }).join(',');
  } else {
    order = groups.map((g) => g.spec).join(',');
  }
  const orderTerms: Sql[] = [];
  const extraGroupBy: Sql[] = [];
  for (const part of order ? order.split(',') : []) {
    const m = ORDER_PART.exec(part);
    if (!m) throw valueError(`Invalid order ${pyRepr(order)} for _read_group()`);
    const term = m[1].replace(/"/g, '');
    const dir = raw((m[2] ?? 'ASC').toUpperCase());
    const nulls = raw(m[3] ? ` ${m[3].toUpperCase()}` : '');
    const g = groups.find((x) => x.spec === term);
    if (!g) {
      const agg = aggregateFromSpec(scope, model, alias, term, joins);
      if (!agg) throw valueError(`Order term ${pyRepr(part)} is not a valid aggregate nor valid groupby`);
      orderTerms.push(sql`${agg} ${dir}${nulls}`);
      continue;
    }
    if (g.field.type === 'many2one' && !g.granularity && scope.reg.model(g.field.relation!).order !== 'id') {
      const before = joins.length;
      const ordered = inlined(orderToSql(scope, model, alias, `${g.field.name} ${m[2] ?? 'asc'}${m[3] ? ' ' + m[3] : ''}`, joins));
      if (!ordered.text) continue;
      orderTerms.push(ordered);
      // As Odoo does, the comodel columns the groups are ordered by join the GROUP BY; when
      // they cannot be spelt without parameters, the joined rows' primary keys do the same.
      const exprs = orderExpressions(ordered);
      if (exprs) extraGroupBy.push(...exprs);
      else {
        for (const j of joins.slice(before)) {
          const joined = /^LEFT JOIN "[^"]+" AS "([^"]+)"/.exec(j.text)?.[1];
          if (joined) extraGroupBy.push(sql`${ident(joined)}."id"`);
        }
      }
    } else {
      orderTerms.push(sql`${groupAlias(g.spec)} ${dir}${nulls}`);
    }
  }

  const select = [
    ...[...groupExprs.values()].map((e, i) => sql`${e} AS ${ident(`g${i}`)}`),
    ...[...aggExprs.values()].map((e, i) => sql`${e} AS ${ident(`a${i}`)}`),
  ];
  let query = sql`SELECT ${joinSql(select, ', ')} FROM ${q.from} ${joinSql(joins, ' ')} WHERE ${q.where}`;
  // GROUP BY and ORDER BY name the selected groups by position and alias: their expressions
  // carry bound parameters, which PostgreSQL would not recognise as the same expression twice.
  const groupTerms = [...[...groupExprs.keys()].map((_, i) => raw(String(i + 1))), ...extraGroupBy];
  if (groupTerms.length) query = sql`${query} GROUP BY ${joinSql(groupTerms, ', ')}`;
  if (groupTerms.length && orderTerms.length) query = sql`${query} ORDER BY ${joinSql(orderTerms, ', ')}`;
  const limit = asInt(args.limit, null);
  const offset = asInt(args.offset, 0);
  if (limit) query = sql`${query} LIMIT ${limit}`; // limit 0 = no limit, as Odoo's Query
  if (offset) query = sql`${query} OFFSET ${offset}`;
  let rows: Array<Record<string, unknown>> = await runSql(env.cr, query);
  const fill = env.context.fill_temporal;
  const first = groups[0];
  if (first?.granularity && ((rows.length && fill) || (fill && typeof fill === 'object' && !Array.isArray(fill)))) {
    const countKeys = [...aggregates].map(([, a], i) => (a.func === 'count' || a.func === 'count_distinct' ? `a${i}` : null)).filter((k): k is string => !!k);
    rows = fillTemporal(rows, 'g0', first.granularity, first.field.type === 'date', countKeys, (typeof fill === 'object' ? fill : {}) as FillOptions, weekShift);
  }

  // Many2one / many2many values become (id, display_name), as the superuser names them.
  const names = new Map<string, Map<number, unknown>>();
  for (const [i, g] of groups.entries()) {
    if (g.field.type !== 'many2one' && g.field.type !== 'many2many') continue;
    const ids = [...new Set(rows.map((r) => r[`g${i}`]).filter((v): v is number => typeof v === 'number'))];
    names.set(g.spec, await displayNames(scope, scope.reg.model(g.field.relation!), ids));
  }

  const tz = contextTz(env);
  const baseDomain = domain.length && !isTrue(domain) ? normalize(domain) : [];
  const aggregateList = [...aggregates];
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    let groupDomain = groups.length ? baseDomain : domain; // no groupby: the domain as given
    const ranges: Record<string, unknown> = {};
    groups.forEach((g, i) => {
      const value = row[`g${i}`];
      const name = g.field.name;
      if (g.granularity) {
        if (value === null || value === undefined) {
          out[g.key] = false;
          ranges[g.key] = false;
          groupDomain = andNormalized(groupDomain, [[name, '=', false]]);
          return;
        }
        const { label, from, to } = dateGroup(g, String(value), lang, tz);
        out[g.key] = label;
        ranges[g.key] = { from, to };
        groupDomain = andNormalized(groupDomain, ['&', [name, '>=', from], [name, '<', to]]);
        return;
      }
      if (g.field.type === 'many2one' || g.field.type === 'many2many') {
        const id = typeof value === 'number' ? value : null;
        out[g.key] = id ? [id, names.get(g.spec)!.get(id) ?? ''] : false;
        groupDomain = andNormalized(groupDomain, !id && g.field.type === 'many2many' ? [[name, 'not any', []]] : [[name, '=', id ?? false]]);
        return;
      }
      const v = value === null || value === undefined ? false : g.field.type === 'float' || g.field.type === 'monetary' ? pyFloat(Number(value)) : value;
      out[g.key] = v;
      groupDomain = andNormalized(groupDomain, [[name, '=', v]]);
    });
    aggregateList.forEach(([key, a], i) => {
      out[key] = aggregateValue(a, row[`a${i}`]);
    });
    out.__domain = groupDomain;
    if (lazyGroupby.length < groupby.length) out.__context = { group_by: groupby.slice(lazyGroupby.length) };
    if (Object.keys(ranges).length) out.__range = ranges;
    return out;
  });
}

function aggregateValue(a: { field: FieldDef | null; func: string }, value: unknown): unknown {
  if (a.func === 'count' || a.func === 'count_distinct') return value === null || value === undefined ? 0 : Number(value);
  if (value === null || value === undefined) return a.func === 'array_agg' ? [] : false;
  const numeric = a.field && (a.field.type === 'float' || a.field.type === 'monetary');
  if ((numeric && ['sum', 'avg', 'min', 'max'].includes(a.func)) || (a.func === 'avg' && typeof value === 'number')) return pyFloat(Number(value));
  return value;
}

/** The aggregate a "field:func" order term names (Odoo lets groups be sorted by them). */
function aggregateFromSpec(scope: Scope, model: ModelDef, alias: string, term: string, joins: Sql[]): Sql | null {
  if (term === '__count') return sql`COUNT(*)`;
  const m = /^(\w+):(\w+)$/.exec(term);
  if (!m || !AGGREGATES[m[2]]) return null;
  const field = model.fields.get(m[1]);
  if (!field || !sqlable(field) || field.type === 'one2many') return null;
  const expr = valueExpr(scope, model, alias, field, joins);
  return AGGREGATES[m[2]](expr, sql`${ident(alias)}."id"`);
}

/** `text` split at its top-level commas (outside parentheses and quotes). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

/**
 * An ORDER BY fragment with its parameters written as literals when they are plain words
 * or numbers (a language code, a company id), so that the same text can stand in GROUP BY:
 * PostgreSQL matches GROUP BY and ORDER BY expressions by text, not by bound values.
 */
function inlined(fragment: Sql): Sql {
  if (!fragment.params.length) return fragment;
  const safe = fragment.params.every((p) => (typeof p === 'string' && /^[A-Za-z0-9_@.-]*$/.test(p)) || (typeof p === 'number' && Number.isFinite(p)));
  if (!safe) return fragment;
  let i = 0;
  const text = fragment.text.replace(/\?/g, () => {
    const p = fragment.params[i++];
    return typeof p === 'number' ? String(p) : `'${p}'`;
  });
  return new Sql(text);
}

/** The expressions of a parameter-free ORDER BY fragment (null when it has parameters). */
function orderExpressions(ordered: Sql): Sql[] | null {
  if (ordered.params.length) return null;
  return splitTopLevel(ordered.text).map((t) => raw(t.replace(/\s+(ASC|DESC)(\s+NULLS\s+(FIRST|LAST))?$/i, '')));
}

/** Fields with a value in SQL: stored, company-dependent (ir_property) or inherited from an _inherits parent. */
const sqlable = (f: FieldDef) => f.store || f.companyDependent || !!f.inheritedFrom;

/**
 * The SQL value of a field on `alias`: its column, a many2many's joined comodel id, or for a
 * field inherited through _inherits (product.product's categ_id) the parent row's, joined as
 * Odoo joins it (alias__link).
 */
function valueExpr(scope: Scope, model: ModelDef, alias: string, field: FieldDef, joins: Sql[]): Sql {
  if (field.inheritedFrom) {
    const parent = scope.reg.model(field.inheritedFrom.parentModel);
    const link = field.inheritedFrom.parentField;
    const palias = tableAlias(alias, link);
    const text = `LEFT JOIN "${parent.table}" AS "${palias}"`;
    if (!joins.some((j) => j.text.startsWith(text))) joins.push(sql`${raw(text)} ON (${ident(alias)}.${ident(link)} = ${ident(palias)}."id")`);
    return valueExpr(scope, parent, palias, parent.fields.get(field.name)!, joins);
  }
  return field.type === 'many2many' ? m2mJoin(model, alias, field, joins) : fieldExpr(scope, model, alias, field);
}

/** LEFT JOIN of a many2many's relation table; the comodel id is the group value. */
function m2mJoin(model: ModelDef, alias: string, field: FieldDef, joins: Sql[]): Sql {
  const relAlias = tableAlias(alias, field.name);
  const text = `LEFT JOIN "${field.relationTable}" AS "${relAlias}"`;
  if (!joins.some((j) => j.text.startsWith(text))) {
    joins.push(sql`${raw(text)} ON (${ident(alias)}."id" = ${ident(relAlias)}.${ident(field.column1!)})`);
  }
  void model;
  return sql`${ident(relAlias)}.${ident(field.column2!)}`;
}

function contextTz(env: Env): string | null {
  const tz = env.context.tz;
  if (typeof tz !== 'string' || !tz) return null;
  try {
    dateTimeFormat('en-US', { timeZone: tz });
    return tz;
  } catch {
    return null;
  }
}

function groupExpr(scope: Scope, model: ModelDef, alias: string, g: GroupSpec, joins: Sql[], env: Env, weekShift: number): Sql {
  const field = g.field;
  if (!sqlable(field)) throw valueError(`Cannot convert field ${field.model}.${field.name} to SQL`);
  if (field.type === 'one2many') throw valueError(`Cannot convert field ${field.model}.${field.name} to SQL`);
  let expr = valueExpr(scope, model, alias, field, joins);
  if (field.type === 'datetime') {
    const tz = contextTz(env);
    if (tz) expr = sql`timezone(${tz}, timezone('UTC', ${expr}))`;
  }
  if (g.granularity) {
    if (g.granularity === 'week') {
      const offset = weekShift;
      expr = sql`(date_trunc('week', ${expr}::timestamp - INTERVAL ${raw(`'-${offset} DAY'`)}) + INTERVAL ${raw(`'-${offset} DAY'`)})`;
    } else {
      expr = sql`date_trunc(${g.granularity}, ${expr}::timestamp)`;
    }
    if (field.type === 'date') expr = sql`${expr}::date`;
  } else if (field.type === 'boolean') {
    expr = sql`COALESCE(${expr}, FALSE)`;
  }
  return expr;
}

/** Days to shift weeks by so they start on the language's first day (res_lang.week_start: 1 Monday … 7 Sunday). */
async function weekOffset(env: Env): Promise<number> {
  const row = (await env.cr.raw(`select week_start from res_lang where code = ?`, [contextLang(env)])).rows[0];
  const first = Number(row?.week_start ?? 7) - 1;
  return first ? 7 - first : 0;
}

/** Label and [from, to) of a date group from its truncated start as PostgreSQL returns it. */
/** Label and range per (granularity, value, lang, tz): the same months and days come back call after call. */
const dateGroups = boundedMemo<{ label: string; from: string; to: string }>(10_000);

function dateGroup(g: GroupSpec, raw: string, lang: string, tz: string | null): { label: string; from: string; to: string } {
  const isDate = g.field.type === 'date';
  return dateGroups(`${g.granularity}|${isDate ? 'd' : 't'}|${raw}|${lang}|${tz ?? ''}`, () => computeDateGroup(g, raw, lang, tz, isDate));
}

function computeDateGroup(g: GroupSpec, raw: string, lang: string, tz: string | null, isDate: boolean): { label: string; from: string; to: string } {
  const [d, t = '00:00:00'] = raw.replace('T', ' ').split(' ');
  const [y, mo, da] = d.split('-').map(Number);
  const [h, mi, s] = t.split(':').map((x) => parseInt(x, 10));
  const start = new Date(Date.UTC(y, mo - 1, da, h || 0, mi || 0, s || 0));
  const end = nextStart(g.granularity!, start);
  const label = groupLabel(lang, g.granularity!, start);
  if (isDate) return { label, from: fmtDate(start), to: fmtDate(end) };
  return { label, from: fmtDatetime(tz ? localToUtc(start, tz) : start), to: fmtDatetime(tz ? localToUtc(end, tz) : end) };
}

const p2 = (n: number) => String(n).padStart(2, '0');
const fmtDate = (d: Date) => `${String(d.getUTCFullYear()).padStart(4, '0')}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`;
const fmtDatetime = (d: Date) => `${fmtDate(d)} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;

/** A wall-clock time in `tz` (held as a UTC Date) → the UTC instant. */
function localToUtc(local: Date, tz: string): Date {
  const offsetAt = (instant: Date) => {
    const parts = dateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    }).formatToParts(instant);
    const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
    return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - instant.getTime();
  };
  const guess = new Date(local.getTime() - offsetAt(local));
  return new Date(local.getTime() - offsetAt(guess));
}

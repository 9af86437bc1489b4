import { Knex } from 'knex';
import { Env } from '../env';
import { getRegistry, ModelDef } from '../registry';
import { runComputes } from '../computes';
import { runConstraints } from '../constraints';
import { defaultValues } from '../defaults';
import { runBeforeUnlink } from '../ondelete';
import { valueError } from '../../errors';
import { pyRepr } from '../pyrepr';
import { ColumnValue } from './convert';
import { sortValues, SortedValues } from './values';
import { applyX2many } from './commands';
import { sqlGuard } from './sql-errors';
import { checkAccess, checkExist } from './guard';
import { findWriteSplitter } from './write-groups';
import { writeProperties } from './properties';
import { findInverse } from './inverses';
import { preparedVals } from './create-vals';

/**
 * The ORM's create, write and unlink on Odoo's own tables, in the call's transaction:
 * defaults, conversions, _inherits parents, x2many commands, log-access columns, stored
 * computes, constraints, and Odoo's errors for what the database refuses. Any error leaves
 * the transaction to roll back: nothing is half-written.
 */

const NOW = `(now() at time zone 'UTC')`;

function lang(env: Env): string {
  return typeof env.context.lang === 'string' && env.context.lang ? env.context.lang : 'en_US';
}

/** SQL and bindings for one column value; translations are stored under en_US and the writing language. */
function valueSql(env: Env, column: string, value: ColumnValue, mode: 'insert' | 'update'): [string, Knex.RawBinding[]] {
  if (value !== null && typeof value === 'object' && 'translated' in value) {
    if (value.translated === null) return ['null', []];
    const l = lang(env);
    if (mode === 'insert') return ['?::jsonb', [JSON.stringify({ en_US: value.translated, [l]: value.translated })]];
    // Keep the other languages; the first value written in another language also seeds en_US.
    const seed = l === 'en_US' ? {} : { en_US: value.translated };
    return [`? ::jsonb || coalesce(??, '{}'::jsonb) || ?::jsonb`, [JSON.stringify(seed), column, JSON.stringify({ [l]: value.translated })]];
  }
  if (value !== null && typeof value === 'object' && 'json' in value) return ['?::jsonb', [JSON.stringify(value.json)]];
  return ['?', [value]];
}

function hasLogAccess(model: ModelDef): boolean {
  return model.fields.has('write_date') && model.fields.get('write_date')!.store;
}

/** Adds the defaults of the fields `vals` lacks (context default_*, ir_default, declared ones, precomputed ones last). */
async function withDefaults(env: Env, model: ModelDef, vals: Record<string, unknown>): Promise<Record<string, unknown>> {
  const missing = [...model.fields.values()].filter((f) => !(f.name in vals) && !f.inheritedFrom).map((f) => f.name);
  return { ...(await defaultValues(env, model.name, missing, vals)), ...vals };
}

function asVals(model: ModelDef, vals: unknown): Record<string, unknown> {
  if (!vals || typeof vals !== 'object' || Array.isArray(vals)) {
    throw valueError(`${model.name}.create() expects a dict of values, got ${pyRepr(vals)}`);
  }
  return vals as Record<string, unknown>;
}

/** Creates the _inherits parent records (or writes the given ones) and sets the link columns. */
async function handleParents(env: Env, model: ModelDef, sorted: SortedValues, ids: number[] | null): Promise<void> {
  for (const [parentModel, linkField] of Object.entries(model.inherits)) {
    const parentVals = sorted.parents.get(parentModel) ?? {};
    if (ids) {
      if (!Object.keys(parentVals).length) continue;
      const links: Array<Record<string, number>> = await env.cr(model.table).whereIn('id', ids).select(linkField);
      await writeRecords(env, parentModel, [...new Set(links.map((r) => r[linkField]).filter(Boolean))], parentVals);
      continue;
    }
    const given = sorted.columns.get(linkField);
    if (typeof given === 'number') {
      if (Object.keys(parentVals).length) await writeRecords(env, parentModel, [given], parentVals);
      continue;
    }
    // Odoo's flag for "this parent is created for a child of mine": product.template then
    // does not create a variant of its own (create_product_product).
    const childEnv: Env = { ...env, context: { ...env.context, [`create_${model.table}`]: true } };
    const [parentId] = await createRecords(childEnv, parentModel, [parentVals]);
    sorted.columns.set(linkField, parentId);
  }
}

export async function createRecords(env: Env, modelName: string, valsList: unknown[]): Promise<number[]> {
  const registry = await getRegistry(env.app);
  const model = registry.model(modelName);
  await checkAccess(env, model, 'create');
  const ids: number[] = [];
  const given = new Set<string>();
  const pending: Array<{ id: number; sorted: SortedValues }> = [];
  for (const raw of valsList) {
    const vals = await withDefaults(env, model, await preparedVals(env, model.name, asVals(model, raw)));
    const sorted = sortValues(model, vals);
    await handleParents(env, model, sorted, null);
    const cols: string[] = [];
    const sqls: string[] = [];
    const bindings: Knex.RawBinding[] = [];
    for (const [column, value] of sorted.columns) {
      const [sql, b] = valueSql(env, column, value, 'insert');
      cols.push(column);
      sqls.push(sql);
      bindings.push(...b);
    }
    if (hasLogAccess(model)) {
      cols.push('create_uid', 'write_uid', 'create_date', 'write_date');
      sqls.push('?', '?', NOW, NOW);
      bindings.push(env.uid, env.uid);
    }
    const sql = cols.length
      ? `insert into ?? (${cols.map(() => '??').join(', ')}) values (${sqls.join(', ')}) returning id`
      : `insert into ?? default values returning id`;
    const row = await sqlGuard(env, () => env.cr.raw(sql, [model.table, ...cols, ...bindings]));
    const id: number = row.rows[0].id;
    ids.push(id);
    pending.push({ id, sorted });
    sorted.given.forEach((f) => given.add(f));
  }
  for (const { id, sorted } of pending) {
    await writeProperties(env, model, [id], sorted.properties);
    for (const { field, value } of sorted.x2many) await applyX2many(env, field, [id], value);
    for (const { field, value } of sorted.inverses) await findInverse(model.name, field.name)!(env, [id], value);
  }
  await checkAccess(env, model, 'create', ids);
  const event = { kind: 'create' as const, fields: given };
  await runComputes(env, model.name, ids, event);
  await runConstraints(env, model.name, ids, event);
  return ids;
}

export async function writeRecords(env: Env, modelName: string, ids: number[], rawVals: unknown): Promise<void> {
  const registry = await getRegistry(env.app);
  const model = registry.model(modelName);
  const unique = [...new Set(ids)];
  await checkAccess(env, model, 'write');
  await checkExist(env, model, unique);
  await checkAccess(env, model, 'write', unique);
  if (!unique.length) return;
  const vals = asVals(model, rawVals);
  const groups = await findWriteSplitter(model.name)?.(env, unique, vals);
  if (groups) {
    for (const g of groups) await storeWrite({ ...env, context: { ...env.context, ...g.context } }, model, g.ids, vals);
  } else {
    await storeWrite(env, model, unique, vals);
  }
}

/** The write itself, once access is checked: columns, parents, x2many, computes, constraints. */
async function storeWrite(env: Env, model: ModelDef, unique: number[], vals: Record<string, unknown>): Promise<void> {
  const sorted = sortValues(model, vals);
  await handleParents(env, model, sorted, unique);
  const sets: string[] = [];
  const bindings: Knex.RawBinding[] = [];
  for (const [column, value] of sorted.columns) {
    const [sql, b] = valueSql(env, column, value, 'update');
    sets.push(`?? = ${sql}`);
    bindings.push(column, ...b);
  }
  if (hasLogAccess(model)) {
    sets.push('?? = ?', `?? = ${NOW}`);
    bindings.push('write_uid', env.uid, 'write_date');
  }
  if (sets.length) {
    await sqlGuard(env, () =>
      env.cr.raw(`update ?? set ${sets.join(', ')} where id = any(?)`, [model.table, ...bindings, unique]),
    );
  }
  await writeProperties(env, model, unique, sorted.properties);
  for (const { field, value } of sorted.x2many) await applyX2many(env, field, unique, value);
  for (const { field, value } of sorted.inverses) await findInverse(model.name, field.name)!(env, unique, value);
  const event = { kind: 'write' as const, fields: sorted.given };
  await runComputes(env, model.name, unique, event);
  await runConstraints(env, model.name, unique, event);
}

/** Rows that point at a record by (model, id) rather than by a foreign key: Odoo removes them with it. */
const SOFT_REFERENCES: Array<{ table: string; where: (model: string, ids: number[]) => [string, Knex.RawBinding[]] }> = [
  { table: 'ir_model_data', where: (m, ids) => ['model = ? and res_id = any(?)', [m, ids]] },
  { table: 'ir_attachment', where: (m, ids) => ['res_model = ? and res_id = any(?)', [m, ids]] },
  { table: 'ir_property', where: (m, ids) => ['res_id = any(?)', [ids.map((id) => `${m},${id}`)]] },
  { table: 'mail_followers', where: (m, ids) => ['res_model = ? and res_id = any(?)', [m, ids]] },
  { table: 'mail_message', where: (m, ids) => ['model = ? and res_id = any(?)', [m, ids]] },
];

const existingTables = new WeakMap<object, Promise<Set<string>>>();

function tablesOf(env: Env): Promise<Set<string>> {
  let t = existingTables.get(env.app);
  if (!t) {
    t = env.app.db.knex
      .raw(`select tablename from pg_tables where schemaname = current_schema() and tablename = any(?)`, [SOFT_REFERENCES.map((s) => s.table)])
      .then((r: { rows: Array<{ tablename: string }> }) => new Set(r.rows.map((x) => x.tablename)));
    existingTables.set(env.app, t);
  }
  return t;
}

export async function unlinkRecords(env: Env, modelName: string, ids: number[]): Promise<void> {
  const registry = await getRegistry(env.app);
  const model = registry.model(modelName);
  const unique = [...new Set(ids)];
  await checkAccess(env, model, 'unlink');
  await checkExist(env, model, unique);
  await checkAccess(env, model, 'unlink', unique);
  if (!unique.length) return;
  const { spare, after } = await runBeforeUnlink(env, model.name, unique);
  const doomed = unique.filter((id) => !spare.has(id));
  if (doomed.length) {
    const tables = await tablesOf(env);
    for (const ref of SOFT_REFERENCES) {
      if (!tables.has(ref.table)) continue;
      const [where, bindings] = ref.where(model.name, doomed);
      await env.cr.raw(`delete from ?? where ${where}`, [ref.table, ...bindings]);
    }
    await sqlGuard(env, () => env.cr.raw(`delete from ?? where id = any(?)`, [model.table, doomed]));
  }
  for (const next of after) await next();
}

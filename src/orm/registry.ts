import { Knex } from 'knex';
import { AppContext } from '../context';
import { detached } from '../db/connection';
import { modelTraits, fieldTraits } from './traits';
import { relationNames } from './relation-names';
import { BUILTIN_MODELS, builtinModelDef } from './builtin-models';

/**
 * The registry: Odoo's models and fields as the database describes them (DESIGN decision 3).
 *
 * Everything comes from ir_model, ir_model_fields, ir_model_fields_selection and
 * ir_model_inherit, so a custom field a customer's addon adds (x_… columns) appears without
 * code. What Odoo keeps only in Python (company_dependent, digits, @api.depends, a model's
 * _rec_name / _parent_store) comes from traits.ts. Loaded once per database and cached;
 * `refreshRegistry` reloads it (after a module update) without a restart.
 */

export type FieldType =
  | 'char' | 'text' | 'html' | 'integer' | 'float' | 'monetary' | 'boolean' | 'date' | 'datetime'
  | 'selection' | 'many2one' | 'one2many' | 'many2many' | 'binary' | 'json' | 'reference'
  | 'many2one_reference' | 'properties' | 'properties_definition';

/** A translatable text as stored in jsonb: {"en_US": "...", "fr_FR": "..."}. */
export type Translations = Record<string, string>;

export interface FieldDef {
  /** ir_model_fields.id (ir_property rows point at it). */
  id: number;
  name: string;
  model: string;
  type: FieldType;
  /** field_description: the label per language. */
  label: Translations;
  help: Translations | null;
  relation: string | null;
  /** one2many: the inverse many2one on the comodel. */
  relationField: string | null;
  /** many2many: the relation table and its two columns (this side, the comodel side). */
  relationTable: string | null;
  column1: string | null;
  column2: string | null;
  required: boolean;
  readonly: boolean;
  /** Has a column of its own (store and not company-dependent). */
  column: boolean;
  store: boolean;
  translate: boolean;
  /** 'program_id.company_id' for related fields. */
  related: string | null;
  depends: string[];
  /** (value, label per language) in Odoo's order. */
  selection: Array<[string, Translations]>;
  companyDependent: boolean;
  digits: [number, number] | 0 | null;
  currencyField: string | null;
  /** Raw ir_model_fields.domain of a relational field ('[]' when none). */
  domain: string | null;
  size: number | null;
  manual: boolean;
  groupExpand: boolean;
  /** Inherited from an _inherits parent (product.product ← product.template): read through it. */
  inheritedFrom: { parentField: string; parentModel: string } | null;
  /** Non-stored field with a search implementation (model files declare it). */
  searchable: boolean;
  changeDefault: boolean;
  sanitize: Record<string, boolean> | null;
  /** groups=: only members of one of these res_groups see the field. */
  groups: number[];
  /** A one2many's Python domain (res.partner.child_ids: active contacts only), applied on read. */
  readDomain: unknown[] | null;
}

export interface ModelDef {
  name: string;
  table: string;
  description: Translations;
  /** _order, as Odoo stored it in ir_model.order. */
  order: string;
  recName: string | null;
  /** _parent_name when the model keeps a hierarchy, and whether parent_path is stored. */
  parentName: string | null;
  parentStore: boolean;
  /** _inherits: parent model → the many2one that links to it. */
  inherits: Record<string, string>;
  fields: Map<string, FieldDef>;
  /** The active-like field active_test filters on ('active'), or null. */
  activeField: string | null;
  transient: boolean;
}

export class Registry {
  constructor(readonly models: Map<string, ModelDef>, readonly languages: Set<string>) {}

  has(model: string): boolean {
    return this.models.has(model);
  }

  /** The model, or Odoo's own error for a name it does not know. */
  model(name: string): ModelDef {
    const m = this.models.get(name);
    if (!m) throw new UnknownModel(name);
    return m;
  }
}

import { UserError } from '../errors';
export class UnknownModel extends UserError {
  constructor(readonly modelName: string) {
    super(`Object ${modelName} doesn't exist`);
  }
}

interface ModelRow { id: number; model: string; order: string; name: Translations; transient: boolean | null }
interface FieldRow {
  id: number; model: string; name: string; ttype: FieldType; field_description: Translations; help: Translations | null;
  relation: string | null; relation_field: string | null; relation_table: string | null; column1: string | null; column2: string | null;
  required: boolean | null; readonly: boolean | null; store: boolean | null; translate: boolean | null; related: string | null;
  depends: string | null; currency_field: string | null; domain: string | null; size: number | null; state: string;
  group_expand: boolean | null; sanitize: boolean | null; sanitize_tags: boolean | null; sanitize_attributes: boolean | null;
  sanitize_style: boolean | null; sanitize_form: boolean | null; strip_style: boolean | null; strip_classes: boolean | null;
  sanitize_overridable: boolean | null;
}

/** Odoo's model name → table name rule (loyalty.card → loyalty_card). */
export const tableOf = (model: string) => model.replace(/\./g, '_');

export async function loadRegistry(db: Knex): Promise<Registry> {
  // In order: the registry may be loaded on a transaction (one connection).
  const models = await db.raw(`select id, model, "order", name, transient from ir_model`).then((r) => r.rows as ModelRow[]);
  const fields = await db.raw(`select * from ir_model_fields order by id`).then((r) => r.rows as FieldRow[]);
  const selections = await db.raw(`select f.model, f.name as field, s.value, s.name from ir_model_fields_selection s
              join ir_model_fields f on f.id = s.field_id order by s.sequence, s.id`).then((r) => r.rows as Array<{ model: string; field: string; value: string; name: Translations }>);
  const inherits = await db.schema.hasTable('ir_model_inherit').then((has) =>
      has
        ? db.raw(`select m.model, p.model as parent, f.name as field from ir_model_inherit i
                    join ir_model m on m.id = i.model_id join ir_model p on p.id = i.parent_id
                    join ir_model_fields f on f.id = i.parent_field_id where i.parent_field_id is not null`).then((r) => r.rows as Array<{ model: string; parent: string; field: string }>)
        : []);
  // Materialized views (promotion_result) are in neither pg_tables nor information_schema.
  const tables = await db.raw(`select tablename from pg_tables where schemaname = current_schema()
            union select viewname from pg_views where schemaname = current_schema()
            union select matviewname from pg_matviews where schemaname = current_schema()`).then((r) => new Set((r.rows as Array<{ tablename: string }>).map((x) => x.tablename)));
  const langs = await db.schema.hasTable('res_lang').then((has) =>
      has ? db.raw(`select code from res_lang where active`).then((r) => (r.rows as Array<{ code: string }>).map((x) => x.code)) : ['en_US']);
  const fieldGroups = await db.schema.hasTable('ir_model_fields_group_rel').then((has) =>
      has ? db.raw(`select field_id, group_id from ir_model_fields_group_rel`).then((r) => r.rows as Array<{ field_id: number; group_id: number }>) : []);
  // Stored binaries of Odoo live in ir_attachment (attachment=True), not in a column: what the
  // table really has decides whether a stored field is read from it.
  const columns = await db.raw(`select table_name || '.' || column_name as col from information_schema.columns where table_schema = current_schema()
            union all
            select c.relname || '.' || a.attname from pg_attribute a join pg_class c on c.oid = a.attrelid
             where c.relkind = 'm' and c.relnamespace = current_schema()::regnamespace and a.attnum > 0 and not a.attisdropped`)
      .then((r) => new Set((r.rows as Array<{ col: string }>).map((x) => x.col)));
  const groupsOf = new Map<number, number[]>();
  for (const g of fieldGroups) groupsOf.set(g.field_id, [...(groupsOf.get(g.field_id) ?? []), g.group_id]);

  const byModel = new Map<string, ModelDef>();
  for (const row of models) {
    const traits = modelTraits(row.model);
    const table = traits.table ?? tableOf(row.model);
    // Abstract models and models whose module is not installed have no table: not served.
    if (!tables.has(table)) continue;
    byModel.set(row.model, {
      name: row.model,
      table,
      description: row.name,
      order: row.order || 'id',
      recName: null,
      parentName: traits.parentName ?? null,
      parentStore: traits.parentStore ?? false,
      inherits: {},
      fields: new Map(),
      activeField: null,
      transient: !!row.transient,
    });
  }
  for (const i of inherits) {
    const m = byModel.get(i.model);
    if (m) m.inherits[i.parent] = i.field;
  }
  const selectionOf = new Map<string, Array<[string, Translations]>>();
  for (const s of selections) {
    const key = `${s.model}.${s.field}`;
    if (!selectionOf.has(key)) selectionOf.set(key, []);
    selectionOf.get(key)!.push([s.value, s.name]);
  }
  for (const row of fields) {
    const m = byModel.get(row.model);
    if (!m) continue;
    const traits = fieldTraits(row.model, row.name);
    const parentField = Object.entries(m.inherits).find(([, f]) => row.related === `${f}.${row.name}`);
    const companyDependent = traits.companyDependent ?? false;
    const store = !!row.store;
    m.fields.set(row.name, {
      id: row.id,
      name: row.name,
      model: row.model,
      type: row.ttype,
      label: row.field_description,
      help: row.help,
      relation: row.relation || null,
      relationField: row.relation_field || null,
      relationTable: row.relation_table || null,
      column1: row.column1 || null,
      column2: row.column2 || null,
      required: !!row.required,
      readonly: !!row.readonly,
      column: store && !companyDependent && row.ttype !== 'one2many' && row.ttype !== 'many2many' && columns.has(`${m.table}.${row.name}`),
      store,
      translate: !!row.translate,
      related: row.related || null,
      depends: traits.depends ?? (row.depends ? row.depends.split(',').map((d) => d.trim()).filter(Boolean) : row.related ? [row.related] : []),
      selection: traits.selection ?? selectionOf.get(`${row.model}.${row.name}`) ?? [],
      companyDependent,
      digits: traits.digits ?? null,
      currencyField: row.currency_field || null,
      domain: row.domain,
      size: row.size,
      manual: row.state === 'manual',
      groupExpand: !!row.group_expand,
      inheritedFrom: parentField ? { parentModel: parentField[0], parentField: parentField[1] } : null,
      searchable: traits.searchable ?? false,
      changeDefault: traits.changeDefault ?? false,
      readDomain: traits.readDomain ?? null,
      groups: groupsOf.get(row.id) ?? [],
      sanitize: row.ttype === 'html'
        ? {
            sanitize: !!row.sanitize, sanitize_overridable: !!row.sanitize_overridable, sanitize_tags: !!row.sanitize_tags,
            sanitize_attributes: !!row.sanitize_attributes, sanitize_style: !!row.sanitize_style, sanitize_form: !!row.sanitize_form,
            strip_style: !!row.strip_style, strip_classes: !!row.strip_classes,
          }
        : null,
    });
  }
  // The sidecar's own tables, when no module (the bridge addon) registered them in ir_model.
  for (const b of BUILTIN_MODELS) if (!byModel.has(b.model) && tables.has(b.table)) byModel.set(b.model, builtinModelDef(b.model, columns));
  // A stored many2many without its relation in ir_model_fields (a row written by hand or by an
  // older tool): the table Odoo would name for it. A name Odoo would refuse leaves it unread.
  for (const m of byModel.values()) {
    for (const f of m.fields.values()) {
      if (f.type !== 'many2many' || !f.store || (f.relationTable && f.column1 && f.column2)) continue;
      const co = byModel.get(f.relation ?? '');
      if (!co) continue;
      try {
        const names = relationNames(m.table, co.table);
        f.relationTable ??= names.table;
        f.column1 ??= names.column1;
        f.column2 ??= names.column2;
      } catch {
        f.store = false;
      }
    }
  }
  // related selection fields take their selection from the field at the end of the path
  for (const m of byModel.values()) {
    for (const f of m.fields.values()) {
      if (f.type === 'selection' && !f.selection.length && f.related) f.selection = relatedTarget(byModel, m, f.related)?.selection ?? [];
    }
  }
  for (const m of byModel.values()) {
    const traits = modelTraits(m.name);
    m.recName = traits.recName !== undefined ? traits.recName : m.fields.has('name') ? 'name' : null;
    const active = m.fields.get('active');
    m.activeField = active && active.store ? 'active' : null;
    if (!m.parentName && m.fields.get('parent_id')?.relation === m.name) m.parentName = 'parent_id';
    if (m.parentName && m.fields.get('parent_path')?.store) m.parentStore = true;
  }
  return new Registry(byModel, new Set(langs));
}

function relatedTarget(models: Map<string, ModelDef>, model: ModelDef, path: string): FieldDef | undefined {
  const [head, ...rest] = path.split('.');
  const f = model.fields.get(head);
  if (!f || !rest.length) return f;
  const co = models.get(f.relation ?? '');
  return co ? relatedTarget(models, co, rest.join('.')) : undefined;
}

/**
 * One registry per service, reloaded when Odoo says its registry changed: Odoo bumps the
 * base_registry_signaling sequence when modules or custom fields change the models, and the
 * sidecar looks at it at most every SIGNAL_CHECK_MS (in the background, never delaying a call).
 */
const SIGNAL_CHECK_MS = 2000;

interface Cached {
  registry: Promise<Registry>;
  signal: number | null;
  checkedAt: number;
}

const cache = new WeakMap<AppContext, Cached>();

async function registrySignal(app: AppContext): Promise<number | null> {
  try {
    const { rows } = await app.db.knex.raw('select last_value from base_registry_signaling');
    return Number(rows[0].last_value);
  } catch {
    return null; // a standalone database has no Odoo to signal changes
  }
}

function load(app: AppContext, signal: number | null): Cached {
  const entry: Cached = { registry: loadRegistry(app.db.knex), signal, checkedAt: Date.now() };
  // A failed load must not stick: the next call tries again.
  entry.registry.catch(() => {
    if (cache.get(app) === entry) cache.delete(app);
  });
  cache.set(app, entry);
  return entry;
}

/** The registry of this service's database, loaded on first use. */
export function getRegistry(app: AppContext): Promise<Registry> {
  let entry = cache.get(app);
  if (!entry) {
    entry = load(app, null);
    const first = entry;
    void detached(() => registrySignal(app).then((signal) => (first.signal = signal)));
    return entry.registry;
  }
  if (Date.now() - entry.checkedAt > SIGNAL_CHECK_MS) {
    entry.checkedAt = Date.now();
    const seen = entry;
    void detached(() => registrySignal(app).then((signal) => {
      if (signal === null || seen.signal === null || signal === seen.signal || cache.get(app) !== seen) return;
      // Calls keep the registry they have until the new one is read: a call inside a
      // transaction must never wait for a load that needs another pooled connection (with
      // every connection held by such calls, none would be left for the load).
      const previous = seen.signal;
      seen.signal = signal;
      const next = loadRegistry(app.db.knex);
      next.then(() => {
        if (cache.get(app) === seen) cache.set(app, { registry: next, signal, checkedAt: Date.now() });
      }, () => { seen.signal = previous; }); // a failed load is tried again at the next check
    }));
  }
  return entry.registry;
}

/** Reloads models and fields from ir_model_fields now (after a module update or a new custom field). */
export async function refreshRegistry(app: AppContext): Promise<Registry> {
  return load(app, await registrySignal(app)).registry;
}

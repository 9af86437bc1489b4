/**
 * Generates the standalone database from the recorded Odoo 17 dump (shared/odoo17):
 *
 *   src/db/standalone/schema.sql     DDL of the tables the sidecar uses, exactly as Odoo 17 made them
 *   src/db/standalone/base-data.sql  the rows an Odoo database has before any business data: the
 *                                    ir_model* rows describing those tables, groups, access rights,
 *                                    record rules, languages, currencies, the company and __system__
 *   src/db/standalone/tables.json    which tables are complete and which are stubs (for the parity test)
 *   seeds/demo.sql                   the demo data set: every business row of those tables in the dump
 *
 * Run: npm run gen:standalone -- [path/to/shared/odoo17]. The output is committed; rerun
 * when the dump changes. Reproducible: the same dump gives the same files.
 *
 * Which tables. schema-core.sql lists the tables behind the models the sidecar serves. A few
 * more that the RPC, ORM and auth code read are taken whole (EXTRA below). Their foreign keys
 * point at ~45 further tables (accounting, stock, mail, website …) whose own foreign keys reach
 * most of the 493 tables of an Odoo database: taking that closure would rebuild all of Odoo. So
 * each table outside the set that a foreign key points at becomes a *stub*: the real table name,
 * its real id column, sequence and primary key, and its name/active columns when it has them,
 * no foreign keys of its own. Every table of the set thus keeps all its real constraints (the
 * parity test checks them against a restored dump with zero differences), and the stubs hold
 * just the rows that the loaded data points at.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { DumpItem, parseDump, readDumpFile, tableColumns, fkTarget, sqlLiteral } from './lib/pg-dump';
import { SHARED as RECORDED } from '../test/helpers/pg';

const ROOT = path.resolve(__dirname, '..');
const SHARED = path.resolve(process.argv[2] ?? RECORDED);

/** Tables taken whole besides schema-core.sql's, and why. */
const EXTRA: Record<string, string> = {
  ir_rule: 'record rules the ORM applies (multi-company)',
  rule_group_rel: 'groups of the record rules',
  res_groups_implied_rel: 'implied groups, for access rights',
  res_users_apikeys: 'API keys accepted in place of passwords (RPC and REST)',
  ir_model_data: 'external ids (get_metadata, groups looked up by xml id)',
  ir_property: 'values of company-dependent fields',
  res_lang: 'installed languages (translations, lang fallback)',
  ir_config_parameter: 'system parameters (login cooldown, base url)',
  loyalty_mail: "loyalty programs' communication plans (loyalty.program.communication_plan_ids)",
  pos_pack_operation_lot: 'lot numbers of POS order lines (pos.order.line.pack_lot_ids)',
  ir_model_inherit: 'delegation inheritance (_inherits: product.product → product.template) for the registry',
  ir_model_fields_group_rel: 'fields restricted to groups',
  ir_default: 'user and company defaults of fields',
  mail_followers: 'followers of records (message_is_follower, cleaned up on unlink)',
  product_supplierinfo: "vendors of products (the vendor commission report's main supplier)",
  product_template_attribute_value: "a variant's attribute values (product.product's display name, the price extras)",
  product_template_attribute_line: "the attribute lines of a template (product.product's display name)",
  product_attribute: "attributes (product.product's display name: no_variant attributes are left out)",
  product_attribute_value: "attribute values (product.product's display name)",
  res_currency_rate: "currency rates (a POS line's cost converted to the order's currency, amounts in the company currency)",
};

/** Stubs keep these columns when the real table has them. */
const STUB_COLUMNS = ['id', 'name', 'active'];
/**
 * And these, which the sidecar's own queries read on a stub: messages of a record; the invoice
 * a membership line points at (its state, payment state, reversal); a POS session's order and
 * line numbers (ir.sequence); a program's pricelists' currency; the
 * currency and company of a POS config's journal (the currency a line's cost is converted to).
 * Taken with Odoo 17's own types and defaults, so the same SQL runs in every mode.
 */
const STUB_EXTRA_COLUMNS: Record<string, string[]> = {
  mail_message: ['model', 'res_id', 'message_type'],
  account_move: ['state', 'payment_state', 'reversed_entry_id'],
  account_move_line: ['move_id'],
  ir_sequence: ['implementation', 'prefix', 'suffix', 'padding', 'number_next', 'number_increment', 'use_date_range'],
  product_pricelist: ['currency_id'],
  account_journal: ['currency_id', 'company_id'],
};

/** Business rows of these tables are not seeded (chatter, not the sidecar's concern). */
const NOT_SEEDED = new Set(['discuss_channel_member', 'mail_message_res_partner_starred_rel', 'res_users_apikeys']);

/** Metadata tables: their rows are selected by model below, never copied wholesale. */
const METADATA = new Set([
  'ir_model', 'ir_model_fields', 'ir_model_fields_selection', 'ir_model_access', 'ir_rule', 'rule_group_rel', 'ir_model_data',
  'ir_property', 'ir_model_inherit', 'ir_model_fields_group_rel', 'ir_default', 'mail_followers',
]);

/** Parameters that identify the recorded database, not a new one. */
const SECRET_PARAMS = new Set(['database.secret', 'database.uuid', 'database.create_date', 'database.enterprise_code']);

type Row = Array<string | null>;

interface TableData {
  columns: string[];
  rows: Row[];
  idCol: number;
}

interface ForeignKey {
  table: string;
  column: string;
  target: string;
}

const dump = parseDump(readDumpFile(path.join(SHARED, 'odoo17-demo.sql.gz')));
const coreTables = parseDump(readDumpFile(path.join(SHARED, 'schema-core.sql')))
  .filter((i) => i.type === 'TABLE')
  .map((i) => i.name);

const full = new Set([...coreTables, ...Object.keys(EXTRA)]);
for (const t of full) if (!dump.some((i) => i.type === 'TABLE' && i.name === t)) throw new Error(`table ${t} is not in the dump`);

const fks: ForeignKey[] = dump
  .filter((i) => i.type === 'FK CONSTRAINT')
  .map((i) => {
    const m = /FOREIGN KEY \((\w+)\) REFERENCES public\.(\w+)\(id\)/.exec(i.sql);
    if (!m) throw new Error(`unexpected foreign key ${i.name}: ${i.sql}`);
    return { table: i.table, column: m[1], target: m[2] };
  });

const stubs = new Set(fks.filter((f) => full.has(f.table) && !full.has(f.target)).map((f) => f.target));
const created = new Set([...full, ...stubs]);

/** A table's columns, with those it inherits (Odoo's ir_act_* tables INHERITS ir_actions). */
function allColumns(table: string): Map<string, string> {
  const create = dump.find((i) => i.type === 'TABLE' && i.name === table)!;
  const parent = /\)\s*INHERITS \(public\.(\w+)\);?$/.exec(create.sql)?.[1];
  return new Map([...(parent ? allColumns(parent) : []), ...tableColumns(create.sql)]);
}

/** Stub columns per stub table. */
const stubColumns = new Map<string, string[]>();
for (const t of stubs) stubColumns.set(t, [...STUB_COLUMNS, ...(STUB_EXTRA_COLUMNS[t] ?? [])].filter((c) => allColumns(t).has(c)));

/** Sequences the id defaults use: a stub of an inheriting table draws ids from its parent's. */
const defaultSequences = new Set(
  dump.filter((i) => i.type === 'DEFAULT' && created.has(i.table)).map((i) => /nextval\('public\.(\w+)'/.exec(i.sql)?.[1] ?? ''),
);

// ---------------------------------------------------------------- schema.sql
function stubCreate(item: DumpItem): string {
  const cols = allColumns(item.name);
  const keep = stubColumns.get(item.name)!;
  return `CREATE TABLE public.${item.name} (\n${keep.map((c) => `    ${c} ${cols.get(c)}`).join(',\n')}\n);`;
}

function schemaItem(item: DumpItem): string | null {
  if (item.type === 'EXTENSION') return item.sql;
  if (item.type === 'SEQUENCE' && !created.has(item.table) && defaultSequences.has(item.name)) return item.sql;
  if (!created.has(item.table)) return null;
  if (['TABLE DATA', 'SEQUENCE SET', 'VIEW', 'RULE'].includes(item.type)) return null;
  if (full.has(item.table)) return item.sql;
  // Stubs: table, sequence, default, primary key; comments of the kept columns.
  switch (item.type) {
    case 'TABLE':
      return stubCreate(item);
    case 'SEQUENCE':
    case 'SEQUENCE OWNED BY':
    case 'DEFAULT':
      return item.sql;
    case 'CONSTRAINT':
      return /PRIMARY KEY/.test(item.sql) ? item.sql : null;
    case 'COMMENT': {
      const col = /^COLUMN [^.]+\.(.+)$/.exec(item.name)?.[1];
      if (item.name.startsWith('TABLE ')) return item.sql;
      return col && stubColumns.get(item.table)!.includes(col) ? item.sql : null;
    }
    default:
      return null;
  }
}

const schemaSql = dump.map(schemaItem).filter((s): s is string => s !== null);

// ---------------------------------------------------------------- data
const data = new Map<string, TableData>();
for (const item of dump) {
  if (item.type !== 'TABLE DATA' || !created.has(item.name)) continue;
  data.set(item.name, { columns: item.columns!, rows: item.rows!, idCol: item.columns!.indexOf('id') });
}
const col = (t: string, name: string) => {
  const i = data.get(t)!.columns.indexOf(name);
  if (i < 0) throw new Error(`${t}.${name} missing`);
  return i;
};
const rowsById = new Map<string, Map<string, Row>>();
for (const [t, d] of data) if (d.idCol >= 0) rowsById.set(t, new Map(d.rows.map((r) => [r[d.idCol]!, r])));

/** Selected rows per table, in two layers: base (migration) and demo (seeds). */
type Selection = Map<string, Set<Row>>;
const base: Selection = new Map();
const demo: Selection = new Map();
const selected = (t: string, r: Row) => base.get(t)?.has(r) || demo.get(t)?.has(r);
function select(sel: Selection, t: string, r: Row): void {
  if (selected(t, r)) return;
  if (!sel.has(t)) sel.set(t, new Set());
  sel.get(t)!.add(r);
}
const fksOf = new Map<string, ForeignKey[]>();
for (const f of fks) if (created.has(f.table) && full.has(f.table)) fksOf.set(f.table, [...(fksOf.get(f.table) ?? []), f]);

/** The foreign keys rows are followed along: the complete tables' and those of the stubs' kept columns. */
const followed = new Map(fksOf);
for (const f of fks) {
  if (stubs.has(f.table) && stubColumns.get(f.table)!.includes(f.column)) followed.set(f.table, [...(followed.get(f.table) ?? []), f]);
}

/** Adds every row the selection points at through foreign keys (stubs included). */
function close(sel: Selection): void {
  const queue: Array<[string, Row]> = [];
  for (const [t, rows] of sel) for (const r of rows) queue.push([t, r]);
  while (queue.length) {
    const [t, r] = queue.pop()!;
    for (const f of followed.get(t) ?? []) {
      const v = r[col(t, f.column)];
      if (v === null) continue;
      const target = rowsById.get(f.target)?.get(v);
      if (!target) throw new Error(`${t}.${f.column} = ${v} points at a missing ${f.target} row`);
      if (selected(f.target, target)) continue;
      select(sel, f.target, target);
      queue.push([f.target, target]);
    }
  }
}

// Models whose table the standalone database has.
/** Odoo derives a model's table from its name, except where the model sets _table. */
const TABLE_OVERRIDES: Record<string, string> = {
  'ir.actions.actions': 'ir_actions',
  'ir.actions.report': 'ir_act_report_xml',
  'ir.actions.act_window': 'ir_act_window',
  'ir.actions.server': 'ir_act_server',
  'ir.actions.client': 'ir_act_client',
  'ir.actions.act_url': 'ir_act_url',
};
const modelTable = (model: string) => TABLE_OVERRIDES[model] ?? model.replace(/\./g, '_');
const irModel = data.get('ir_model')!;
const models = new Map<string, Row>();
for (const r of irModel.rows) {
  const m = r[col('ir_model', 'model')]!;
  if (created.has(modelTable(m))) models.set(m, r);
}

// Fields: those the database can answer. A stub model keeps its kept columns and display_name;
// a relational field needs its comodel (and a many2many its relation table); a field whose
// related or inverse field is dropped is dropped too. So fields_get in standalone mode leaves
// out relations to what the sidecar does not carry (mail followers and activities, stock moves,
// bank accounts, supplier info …); every field of the loyalty and membership models stays.
const F = (name: string) => col('ir_model_fields', name);
const fieldsById = rowsById.get('ir_model_fields')!;
const keptFields = new Set<Row>();
for (const r of data.get('ir_model_fields')!.rows) {
  const model = r[F('model')]!;
  if (!models.has(model)) continue;
  const table = modelTable(model);
  const name = r[F('name')]!;
  const ttype = r[F('ttype')]!;
  const stored = r[F('store')] === 't';
  if (stubs.has(table) && !(name === 'display_name' || (stored && stubColumns.get(table)!.includes(name)))) continue;
  if (['many2one', 'one2many', 'many2many', 'many2one_reference'].includes(ttype)) {
    const relation = r[F('relation')];
    if (relation && !models.has(relation)) continue;
    if (ttype === 'many2many' && stored && r[F('relation_table')] && !created.has(r[F('relation_table')]!)) continue;
  }
  keptFields.add(r);
}
for (let changed = true; changed; ) {
  changed = false;
  for (const r of keptFields) {
    for (const ref of [r[F('related_field_id')], r[F('relation_field_id')]]) {
      if (ref !== null && !keptFields.has(fieldsById.get(ref)!)) {
        keptFields.delete(r);
        changed = true;
        break;
      }
    }
  }
}
const keptFieldIds = new Set([...keptFields].map((r) => r[F('id')]!));
const modelIds = new Set([...models.values()].map((r) => r[col('ir_model', 'id')]!));

for (const r of models.values()) select(base, 'ir_model', r);
for (const r of keptFields) select(base, 'ir_model_fields', r);
for (const r of data.get('ir_model_fields_selection')!.rows) if (keptFieldIds.has(r[col('ir_model_fields_selection', 'field_id')]!)) select(base, 'ir_model_fields_selection', r);
for (const r of data.get('ir_model_access')!.rows) if (modelIds.has(r[col('ir_model_access', 'model_id')]!)) select(base, 'ir_model_access', r);
const ruleIds = new Set<string>();
for (const r of data.get('ir_rule')!.rows) {
  if (!modelIds.has(r[col('ir_rule', 'model_id')]!)) continue;
  select(base, 'ir_rule', r);
  ruleIds.add(r[col('ir_rule', 'id')]!);
}
for (const r of data.get('rule_group_rel')!.rows) if (ruleIds.has(r[col('rule_group_rel', 'rule_group_id')]!)) select(base, 'rule_group_rel', r);
for (const t of ['res_groups', 'res_groups_implied_rel', 'res_lang', 'res_currency']) for (const r of data.get(t)!.rows) select(base, t, r);
const I = (name: string) => col('ir_model_inherit', name);
for (const r of data.get('ir_model_inherit')!.rows) {
  if (modelIds.has(r[I('model_id')]!) && modelIds.has(r[I('parent_id')]!) && (r[I('parent_field_id')] === null || keptFieldIds.has(r[I('parent_field_id')]!))) select(base, 'ir_model_inherit', r);
}
for (const r of data.get('ir_model_fields_group_rel')!.rows) if (keptFieldIds.has(r[col('ir_model_fields_group_rel', 'field_id')]!)) select(base, 'ir_model_fields_group_rel', r);
for (const r of data.get('ir_default')!.rows) if (keptFieldIds.has(r[col('ir_default', 'field_id')]!)) select(base, 'ir_default', r);
for (const r of data.get('ir_property')!.rows) {
  if (keptFieldIds.has(r[col('ir_property', 'fields_id')]!) && r[col('ir_property', 'res_id')] === null) select(base, 'ir_property', r);
}
close(base);

// Demo: every other business row of the complete tables, then what they point at.
for (const t of full) {
  if (METADATA.has(t) || NOT_SEEDED.has(t) || !data.has(t)) continue;
  for (const r of data.get(t)!.rows) {
    if (t === 'ir_config_parameter' && SECRET_PARAMS.has(r[col(t, 'key')]!)) continue;
    select(demo, t, r);
  }
}
for (const r of data.get('ir_property')!.rows) {
  const resId = r[col('ir_property', 'res_id')];
  if (!keptFieldIds.has(r[col('ir_property', 'fields_id')]!) || resId === null) continue;
  const [model, id] = resId.split(',');
  const row = rowsById.get(modelTable(model))?.get(id);
  if (row && selected(modelTable(model), row)) select(demo, 'ir_property', r);
}
for (const r of data.get('mail_followers')!.rows) {
  const table = modelTable(r[col('mail_followers', 'res_model')]!);
  const target = rowsById.get(table)?.get(r[col('mail_followers', 'res_id')]!);
  if (target && selected(table, target)) select(demo, 'mail_followers', r);
}
close(demo);

// External ids of every loaded record, in the layer of the record.
for (const r of data.get('ir_model_data')!.rows) {
  const table = modelTable(r[col('ir_model_data', 'model')]!);
  const target = rowsById.get(table)?.get(r[col('ir_model_data', 'res_id')]!);
  if (!target) continue;
  if (base.get(table)?.has(target)) select(base, 'ir_model_data', r);
  else if (demo.get(table)?.has(target)) select(demo, 'ir_model_data', r);
}
close(base);
close(demo);

// ---------------------------------------------------------------- writing rows
/**
 * Orders the tables of one file so that NOT NULL foreign keys point at rows loaded earlier
 * (in this file or an earlier one). Nullable foreign keys that point at the same table or a later one are inserted as
 * NULL and set by UPDATEs once every row exists: no superuser trick (session_replication_role)
 * is needed, so the files load on any PostgreSQL role and on PGlite.
 */
function dataSql(sel: Selection): string[] {
  const tables = [...sel.keys()].filter((t) => sel.get(t)!.size > 0);
  const order: string[] = [];
  const done = new Set<string>();
  const dumpOrder = new Map(dump.map((i, n) => [i.name, n]));
  tables.sort((a, b) => (dumpOrder.get(a) ?? 0) - (dumpOrder.get(b) ?? 0));
  // A column that must be set on insert: NOT NULL, or part of a unique constraint or index
  // (a NULL there would let rows collide until the UPDATE).
  const mustSet = (t: string, c: string) => {
    const create = dump.find((i) => i.type === 'TABLE' && i.name === t)!;
    if (/ NOT NULL/.test(tableColumns(create.sql).get(c) ?? '')) return true;
    return dump.some((i) => i.table === t && /UNIQUE/.test(i.sql) && (i.type === 'CONSTRAINT' || i.type === 'INDEX') && new RegExp(`\\b${c}\\b`).test(i.sql.slice(i.sql.indexOf('('))));
  };
  const pending = new Set(tables);
  while (pending.size) {
    // Prefer a table all of whose references are loaded; in a cycle, one whose NOT NULL ones are.
    const waitsOn = (t: string, f: ForeignKey) => f.target !== t && !done.has(f.target) && pending.has(f.target);
    // Among the latter, the one that defers the fewest values.
    const deferredValues = (t: string) => (fksOf.get(t) ?? []).filter((f) => waitsOn(t, f)).length * sel.get(t)!.size;
    const ready =
      [...pending].find((t) => (fksOf.get(t) ?? []).every((f) => !waitsOn(t, f))) ??
      [...pending]
        .filter((t) => (fksOf.get(t) ?? []).every((f) => !mustSet(t, f.column) || !waitsOn(t, f)))
        .sort((a, b) => deferredValues(a) - deferredValues(b))[0];
    if (!ready) throw new Error(`cycle of NOT NULL foreign keys among ${[...pending].join(', ')}`);
    order.push(ready);
    pending.delete(ready);
    done.add(ready);
  }

  const out: string[] = [];
  const updates: string[] = [];
  const loaded = new Set<string>();
  for (const t of order) {
    const d = data.get(t)!;
    const keep = stubs.has(t) ? stubColumns.get(t)! : d.columns;
    const idx = keep.map((c) => d.columns.indexOf(c));
    const deferred = full.has(t)
      ? (fksOf.get(t) ?? []).filter((f) => !mustSet(t, f.column) && (f.target === t || (sel.has(f.target) && !loaded.has(f.target)))).map((f) => f.column)
      : [];
    if (deferred.length && d.idCol < 0) throw new Error(`${t} has no id to update deferred ${deferred}`);
    const rows = [...sel.get(t)!].sort((a, b) => (d.idCol >= 0 ? Number(a[d.idCol]) - Number(b[d.idCol]) : 0));
    const quoted = keep.map((c) => (/^[a-z_][a-z0-9_]*$/.test(c) && !['order', 'grouping', 'default'].includes(c) ? c : `"${c}"`));
    for (let i = 0; i < rows.length; i += 200) {
      const values = rows.slice(i, i + 200).map((r) => '(' + idx.map((j, k) => (deferred.includes(keep[k]) ? 'NULL' : sqlLiteral(r[j]))).join(', ') + ')');
      out.push(`INSERT INTO public.${t} (${quoted.join(', ')}) VALUES\n${values.join(',\n')}`);
    }
    for (const c of deferred) {
      const pairs = rows.filter((r) => r[d.columns.indexOf(c)] !== null).map((r) => `(${r[d.idCol]}, ${r[d.columns.indexOf(c)]})`);
      for (let i = 0; i < pairs.length; i += 500) {
        updates.push(`UPDATE public.${t} SET ${c} = v.ref FROM (VALUES ${pairs.slice(i, i + 500).join(', ')}) AS v(id, ref) WHERE ${t}.id = v.id`);
      }
    }
    loaded.add(t);
  }
  // Sequences continue after the highest id loaded, as Odoo's would.
  const seqs = order
    .filter((t) => data.get(t)!.idCol >= 0 && dump.some((i) => i.type === 'SEQUENCE OWNED BY' && i.table === t))
    .map((t) => `SELECT setval(pg_get_serial_sequence('public.${t}', 'id'), COALESCE((SELECT max(id) FROM public.${t}), 0) + 1, false)`);
  return [...out, ...updates, ...seqs, ...numberSequences(sel)];
}

/**
 * The PostgreSQL sequence Odoo creates with each 'standard' ir.sequence row
 * (ir_sequence_<id, 3 digits>, ir.sequence's _create_sequence), at the dump's value: part of
 * the row, so it goes in the row's layer.
 */
function numberSequences(sel: Selection): string[] {
  const out: string[] = [];
  for (const r of [...(sel.get('ir_sequence') ?? [])].sort((a, b) => Number(a[0]) - Number(b[0]))) {
    if (r[col('ir_sequence', 'implementation')] !== 'standard') continue;
    const name = `ir_sequence_${r[col('ir_sequence', 'id')]!.padStart(3, '0')}`;
    const items = dump.filter((i) => i.name === name && (i.type === 'SEQUENCE' || i.type === 'SEQUENCE SET'));
    if (items.length !== 2) throw new Error(`${name}: its sequence is not in the dump`);
    out.push(...items.map((i) => i.sql.replace('pg_catalog.setval', 'setval')));
  }
  return out;
}

const header = (what: string) =>
  `-- ${what}\n-- Generated by scripts/gen-standalone.ts from shared/odoo17/odoo17-demo.sql.gz: do not edit by hand.\n` +
  `-- Statements end with ";" at the end of a line.\n\n`;
const write = (file: string, what: string, statements: string[]) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, header(what) + statements.map((s) => s.replace(/;$/, '') + ';\n').join('\n'));
  process.stdout.write(`${path.relative(ROOT, file)}: ${statements.length} statements\n`);
};

const baseSql = dataSql(base);
const demoSql = dataSql(demo);
write(path.join(ROOT, 'src/db/standalone/schema.sql'), 'Odoo 17 tables the sidecar uses (standalone mode).', schemaSql);
write(path.join(ROOT, 'src/db/standalone/base-data.sql'), 'Rows every standalone database starts with: models, fields, groups, access, rules.', baseSql);
write(path.join(ROOT, 'seeds/demo.sql'), 'Demo data set (standalone and embedded modes).', demoSql);
writeFileSync(
  path.join(ROOT, 'src/db/standalone/tables.json'),
  JSON.stringify(
    {
      complete: [...full].sort(),
      extra: EXTRA,
      stubs: Object.fromEntries([...stubs].sort().map((t) => [t, stubColumns.get(t)])),
    },
    null,
    2,
  ) + '\n',
);
const count = (sel: Selection) => [...sel].map(([t, r]) => `${t} ${r.size}`).join(', ');
process.stdout.write(`complete tables ${full.size}, stubs ${stubs.size}\nbase rows: ${count(base)}\ndemo rows: ${count(demo)}\n`);

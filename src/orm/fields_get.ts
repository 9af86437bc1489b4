import { Env } from './env';
import { FieldDef } from './registry';
import { Scope } from './domain';
import { evalPyLiteral } from './pyliteral';
import { translated } from './fields';
import { userInfo } from './user';
import { isServed } from './served';

/**
 * fields_get(allfields, attributes): each field's description as Odoo 17's
 * Field.get_description builds it, labels and selections in the context language.
 * Fields restricted to groups the user is not in are left out, unknown names skipped, and so
 * are fields the sidecar does not compute (served.ts): a client that reads what fields_get
 * lists (OdooRPC's browse does) gets every value, none refused.
 */
export async function fieldsGet(env: Env, model: string, allfields: unknown, attributes: unknown): Promise<Record<string, Record<string, unknown>>> {
  const scope = await Scope.of(env);
  const m = scope.reg.model(model);
  const user = await userInfo(env);
  const wanted = Array.isArray(allfields) && allfields.length ? new Set(allfields.map(String)) : null;
  const attrs = Array.isArray(attributes) && attributes.length ? new Set(attributes.map(String)) : null;
  const out: Record<string, Record<string, unknown>> = {};
  const { rows } = await env.cr.raw(`select cur.symbol from res_company c join res_currency cur on cur.id = c.currency_id where c.id = ?`, [scope.companyId]);
  const symbol: string = rows[0]?.symbol ?? '$';
  for (const f of m.fields.values()) {
    if (wanted && !wanted.has(f.name)) continue;
    if (!visibleTo(f, user.groups, user.superuser) || !isServed(scope.reg, m, f)) continue;
    const desc = describe(f, scope.lang, symbol);
    if (attrs) for (const k of Object.keys(desc)) if (!attrs.has(k)) delete desc[k];
    out[f.name] = desc;
  }
  return out;
}

export function visibleTo(f: FieldDef, groups: Set<number>, superuser: boolean): boolean {
  return superuser || !f.groups.length || f.groups.some((g) => groups.has(g));
}

const RELATIONAL = new Set(['many2one', 'one2many', 'many2many']);
const NUMERIC = new Set(['integer', 'float', 'monetary']);

export function describe(f: FieldDef, lang: string, currencySymbol = '$'): Record<string, unknown> {
  const d: Record<string, unknown> = {
    change_default: f.changeDefault,
    company_dependent: f.companyDependent,
    default_export_compatible: false,
    depends: f.depends,
    exportable: true,
    manual: f.manual,
    name: f.name,
    readonly: f.readonly,
    required: f.required,
    searchable: searchable(f),
    sortable: sortable(f),
    store: f.store,
    string: translated(f.label, lang) || f.name,
    type: f.type,
  };
  const help = f.help ? translated(f.help, lang) : false;
  if (help) d.help = help;
  if (f.related) d.related = f.related;
  if (RELATIONAL.has(f.type)) {
    d.relation = f.relation;
    d.context = {};
    d.domain = fieldDomain(f.domain);
  }
  if (f.type === 'one2many' && f.relationField) d.relation_field = f.relationField;
  if (f.type === 'selection') d.selection = f.selection.map(([v, label]) => [v, String(translated(label, lang) || v).replace('%s', currencySymbol)]);
  if (f.type === 'char' || f.type === 'text' || f.type === 'html') d.translate = f.translate;
  if (f.type === 'char') {
    d.trim = true;
    if (f.size) d.size = f.size;
  }
  if (f.type === 'monetary' && f.currencyField) d.currency_field = f.currencyField;
  if (f.type === 'float' && f.digits !== null) d.digits = f.digits;
  if (NUMERIC.has(f.type) && f.name !== 'id') d.group_operator = 'sum';
  if (f.groupExpand) d.group_expand = true;
  if (f.sanitize) Object.assign(d, f.sanitize);
  return d;
}

function searchable(f: FieldDef): boolean {
  return f.store || !!f.related || f.companyDependent || f.searchable;
}

function sortable(f: FieldDef): boolean {
  if (f.inheritedFrom) return true;
  return f.store && !f.companyDependent && f.type !== 'one2many' && f.type !== 'many2many';
}

/** A field's domain: a list when the stored text is a literal, else the text (it names variables). */
function fieldDomain(text: string | null): unknown {
  if (!text) return [];
  try {
    return evalPyLiteral(text);
  } catch {
    return text;
  }
}

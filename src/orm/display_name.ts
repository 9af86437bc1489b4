import { ModelDef } from './registry';
import { Scope } from './domain';
import { RawValues } from './compute';
import { readRaw } from './read';
import { Sql, sql, ident } from './sql';
import { fieldExpr } from './columns';

/**
 * display_name as each model computes it in Odoo 17. The default is the _rec_name's value
 * (through its own display name when _rec_name is a many2one), or "model,id" without one.
 */
type Namer = (scope: Scope, model: ModelDef, ids: number[]) => Promise<RawValues>;

const namers = new Map<string, Namer>();
/** The display name as an SQL expression on a row of the model, where one expression gives it. */
type SqlNamer = (scope: Scope, model: ModelDef, alias: string) => Sql;
const sqlNamers = new Map<string, SqlNamer>();

export function defineDisplayName(model: string, fn: Namer, asSql?: SqlNamer): void {
  namers.set(model, fn);
  if (asSql) sqlNamers.set(model, asSql);
}

/**
 * An SQL expression of the display name (so a read can join it in), or null when the model
 * computes it otherwise. Default: the _rec_name column.
 */
export function displayNameSql(scope: Scope, model: ModelDef, alias: string): Sql | null {
  const own = sqlNamers.get(model.name);
  if (own) return own(scope, model, alias);
  if (namers.has(model.name)) return null;
  const f = model.recName ? model.fields.get(model.recName) : undefined;
  if (!f || !f.column || f.type === 'many2one') return null;
  return sql`COALESCE(CAST(${fieldExpr(scope, model, alias, f)} AS VARCHAR), '')`;
}

export async function displayNames(scope: Scope, model: ModelDef, ids: number[]): Promise<RawValues> {
  const own = namers.get(model.name);
  if (own) return own(scope, model, ids);
  return fieldNames(scope, model, ids, model.recName);
}

/** Display names taken from one field (the _rec_name, or another the model names itself by). */
export async function fieldNames(scope: Scope, model: ModelDef, ids: number[], fname: string | null): Promise<RawValues> {
  const field = fname ? model.fields.get(fname) : undefined;
  if (!field) return new Map(ids.map((id) => [id, `${model.name},${id}`]));
  const values = (await readRaw(scope, model, ids, [field])).get(field.name)!;
  if (field.type === 'many2one') {
    const comodel = scope.reg.model(field.relation!);
    const targets = [...new Set([...values.values()].filter((v): v is number => typeof v === 'number'))];
    const names = await displayNames(scope, comodel, targets);
    return new Map(ids.map((id) => {
      const v = values.get(id);
      return [id, typeof v === 'number' ? names.get(v) ?? '' : ''];
    }));
  }
  return new Map(ids.map((id) => {
    const v = values.get(id);
    return [id, v === null || v === undefined || v === false ? '' : String(v)];
  }));
}

/** Names built from several fields of the record: `build` gets their raw values. */
export function composedName(fields: string[], build: (v: Record<string, unknown>, id: number) => string): Namer {
  return async (scope, model, ids) => {
    const defs = fields.map((f) => model.fields.get(f)).filter((f) => f !== undefined);
    const raws = await readRaw(scope, model, ids, defs);
    return new Map(ids.map((id) => {
      const v: Record<string, unknown> = {};
      for (const f of defs) v[f.name] = raws.get(f.name)!.get(id);
      return [id, build(v, id)];
    }));
  };
}

const text = (v: unknown) => (v === null || v === undefined || v === false ? '' : String(v));

const completeNameSql: SqlNamer = (_scope, _model, alias) =>
  sql`COALESCE(NULLIF(${ident(alias)}."complete_name", ''), ${ident(alias)}."name", '')`;
defineDisplayName('res.partner', composedName(['complete_name', 'name'], (v) => text(v.complete_name) || text(v.name)), completeNameSql);
defineDisplayName('product.category', composedName(['complete_name', 'name'], (v) => text(v.complete_name) || text(v.name)), completeNameSql);
defineDisplayName('product.template', composedName(['default_code', 'name'], (v) => (v.default_code ? `[${v.default_code}] ${text(v.name)}` : text(v.name))));

const DRAFT_MOVE: Record<string, string> = {
  out_invoice: 'Draft Invoice', out_refund: 'Draft Credit Note', in_invoice: 'Draft Bill', in_refund: 'Draft Vendor Credit Note',
  out_receipt: 'Draft Sales Receipt', in_receipt: 'Draft Purchase Receipt', entry: 'Draft Entry',
};
/** account.move: "INV/2026/00017 (ref)", drafts "Draft Invoice (* 51)" (_get_move_display_name). */
defineDisplayName('account.move', composedName(['name', 'move_type', 'state', 'ref'], (v, id) => {
  let name = v.state === 'draft' ? `${DRAFT_MOVE[text(v.move_type)] ?? 'Draft Entry'} ` : '';
  name += !v.name || v.name === '/' ? `(* ${id})` : text(v.name);
  const ref = text(v.ref);
  return ref ? `${name} (${shorten(ref, 50)})` : name;
}));

/** Python's textwrap.shorten(width=50): whitespace collapsed; too long: the whole words that fit with ' [...]'. */
function shorten(s: string, width: number): string {
  const words = s.split(/\s+/).filter(Boolean);
  if (words.join(' ').length <= width) return words.join(' ');
  const placeholder = ' [...]';
  let out = '';
  for (const w of words) {
    const next = out ? `${out} ${w}` : w;
    if (next.length + placeholder.length > width) break;
    out = next;
  }
  return out ? out + placeholder : placeholder.trim();
}

/** Two-part names "<many2one's name><sep><field>" (loyalty cards, rewards). */
export function linkedName(link: string, own: string, sep: string): Namer {
  return async (scope, model, ids) => {
    const linkNames = await fieldNames(scope, model, ids, link);
    const ownNames = await fieldNames(scope, model, ids, own);
    return new Map(ids.map((id) => [id, `${linkNames.get(id) ?? ''}${sep}${ownNames.get(id) ?? ''}`]));
  };
}

defineDisplayName('loyalty.card', linkedName('program_id', 'code', ': '));
defineDisplayName('loyalty.reward', linkedName('program_id', 'description', ' - '));

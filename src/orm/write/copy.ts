import { Env } from '../env';
import { getRegistry, ModelDef } from '../registry';
import { checkExist } from './guard';
import { createRecords } from './records';

/**
 * copy(): Odoo's copy_data then create. Fields Odoo copies are those ir_model_fields marks
 * `copied`; a one2many copies its lines (without their link back), a many2many its links,
 * translated fields all their languages. Model files may add defaults Odoo's copy() adds
 * (res.partner names the copy "X (copy)").
 */
export type CopyDefaults = (env: Env, original: Record<string, unknown>) => Record<string, unknown>;

const copyDefaults = new Map<string, CopyDefaults>();

export function defineCopyDefaults(model: string, fn: CopyDefaults): void {
  copyDefaults.set(model, fn);
}

const copiedFields = new WeakMap<object, Map<string, Promise<Set<string>>>>();

function copied(env: Env, model: string): Promise<Set<string>> {
  let byModel = copiedFields.get(env.app);
  if (!byModel) copiedFields.set(env.app, (byModel = new Map()));
  let set = byModel.get(model);
  if (!set) {
    set = env.app.db.knex
      .raw(`select name from ir_model_fields where model = ? and copied`, [model])
      .then((r: { rows: Array<{ name: string }> }) => new Set(r.rows.map((x) => x.name)));
    byModel.set(model, set);
  }
  return set;
}

const SKIP = new Set(['id', 'create_uid', 'create_date', 'write_uid', 'write_date', 'parent_path', 'display_name']);

/** The values that recreate a record (copy_data), `blacklist` being a one2many's link back. */
async function copyData(env: Env, model: ModelDef, id: number, blacklist?: string): Promise<Record<string, unknown>> {
  const row = await env.cr(model.table).where('id', id).first();
  const names = await copied(env, model.name);
  const vals: Record<string, unknown> = {};
  for (const name of names) {
    const field = model.fields.get(name);
    if (!field || SKIP.has(name) || name === blacklist || !field.store || field.companyDependent || field.inheritedFrom) continue;
    if (field.type === 'one2many') {
      const comodel = (await getRegistry(env.app)).model(field.relation!);
      const lines: Array<{ id: number }> = await env.cr(comodel.table).where(field.relationField!, id).orderBy('id').select('id');
      // One line after another: the copy runs on the call's transaction (one connection).
      const commands: unknown[] = [];
      for (const l of lines) commands.push([0, 0, splitTranslations(await copyData(env, comodel, l.id, field.relationField!))[0]]);
      vals[name] = commands;
    } else if (field.type === 'many2many') {
      const rel: Array<Record<string, number>> = await env.cr(field.relationTable!).where(field.column1!, id).select(field.column2!);
      vals[name] = [[6, 0, rel.map((r) => r[field.column2!])]];
    } else if (name in row) {
      const v = row[name];
      vals[name] = v === null || v === undefined ? false : field.translate && typeof v === 'object' ? { __translations: v } : v;
    }
  }
  return vals;
}

/** Translated values travel as their full jsonb; create stores the writing language, then they are restored. */
function splitTranslations(vals: Record<string, unknown>): [Record<string, unknown>, Record<string, unknown>] {
  const plain: Record<string, unknown> = {};
  const raw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(vals)) {
    if (v && typeof v === 'object' && '__translations' in (v as object)) {
      const t = (v as { __translations: Record<string, string> }).__translations;
      raw[k] = t;
      plain[k] = t.en_US ?? Object.values(t)[0] ?? false;
    } else plain[k] = v;
  }
  return [plain, raw];
}

export async function copyRecord(env: Env, modelName: string, id: number, defaults: Record<string, unknown>): Promise<number> {
  const model = (await getRegistry(env.app)).model(modelName);
  await checkExist(env, model, [id]);
  const data = await copyData(env, model, id);
  const original = await env.cr(model.table).where('id', id).first();
  const extra = copyDefaults.get(model.name)?.(env, original) ?? {};
  const [plain, translations] = splitTranslations({ ...data, ...extra });
  for (const k of Object.keys(defaults)) delete translations[k];
  const [newId] = await createRecords(env, model.name, [{ ...plain, ...defaults }]);
  for (const [column, value] of Object.entries(translations)) {
    if (column in extra) continue;
    await env.cr(model.table).where('id', newId).update({ [column]: JSON.stringify(value) });
  }
  return newId;
}

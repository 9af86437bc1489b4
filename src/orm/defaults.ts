import { Env } from './env';

/**
 * Field defaults, as Odoo's model classes declare them in Python (`fields.X(default=…)`):
 * ir_model_fields does not record them, so model files declare them here. On create, a
 * field missing from the values takes, in Odoo's order: the context's `default_<field>`,
 * a user/company default from ir_default, then the declared default. A declared default may be
 * a function of the other values (Odoo's precomputed fields: a program's currency follows its
 * company): functions run last, and see the values given and the plain defaults.
 */
export type DefaultValue = unknown | ((env: Env, vals: Record<string, unknown>) => unknown | Promise<unknown>);

const declared = new Map<string, Map<string, DefaultValue>>();

export function defineDefaults(model: string, defaults: Record<string, DefaultValue>): void {
  const map = declared.get(model) ?? new Map<string, DefaultValue>();
  for (const [field, value] of Object.entries(defaults)) map.set(field, value);
  declared.set(model, map);
}

/** The company the call acts for: the context's first allowed company, else the user's. */
export async function envCompanyId(env: Env): Promise<number> {
  const allowed = env.context.allowed_company_ids;
  if (Array.isArray(allowed) && typeof allowed[0] === 'number') return allowed[0];
  const row = await env.cr('res_users').where({ id: env.uid }).first('company_id');
  return row?.company_id ?? 1;
}

const hasIrDefault = new WeakMap<object, Promise<boolean>>();

async function irDefaults(env: Env, model: string): Promise<Map<string, unknown>> {
  // Standalone databases have no ir_default table: no stored defaults there.
  let has = hasIrDefault.get(env.app);
  if (!has) hasIrDefault.set(env.app, (has = env.app.db.knex.schema.hasTable('ir_default')));
  if (!(await has)) return new Map();
  const company = await envCompanyId(env);
  const rows: Array<{ name: string; json_value: string }> = (
    await env.cr.raw(
      `select f.name, d.json_value from ir_default d join ir_model_fields f on f.id = d.field_id
        where f.model = ? and d.condition is null
          and (d.user_id is null or d.user_id = ?) and (d.company_id is null or d.company_id = ?)
        order by d.user_id nulls last, d.company_id nulls last`,
      [model, env.uid, company],
    )
  ).rows;
  const out = new Map<string, unknown>();
  for (const r of rows) if (!out.has(r.name)) out.set(r.name, JSON.parse(r.json_value));
  return out;
}

/**
 * The defaults of `fields` (those of them that have one), as Odoo's default_get computes
 * them. Values are in the client's format (ids, False, command lists), ready to be converted
 * like given values.
 */
export async function defaultValues(
  env: Env,
  model: string,
  fields: Iterable<string>,
  given: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const own = declared.get(model);
  const wanted = [...fields];
  const out: Record<string, unknown> = {};
  const computed: Array<[string, (env: Env, vals: Record<string, unknown>) => unknown]> = [];
  let stored: Map<string, unknown> | undefined;
  for (const field of wanted) {
    const key = `default_${field}`;
    if (key in env.context) {
      out[field] = env.context[key];
      continue;
    }
    stored ??= await irDefaults(env, model);
    if (stored.has(field)) {
      out[field] = stored.get(field);
      continue;
    }
    if (own?.has(field)) {
      const d = own.get(field);
      if (typeof d === 'function') computed.push([field, d as (env: Env, vals: Record<string, unknown>) => unknown]);
      else out[field] = d;
    }
  }
  for (const [field, fn] of computed) {
    // a function may find no default (undefined): the field then has none
    const value = await fn(env, { ...out, ...given });
    if (value !== undefined) out[field] = value;
  }
  return out;
}

/** The fields of `model` that have a declared default (context and ir_default add to them). */
export function fieldsWithDefaults(model: string): string[] {
  return [...(declared.get(model)?.keys() ?? [])];
}

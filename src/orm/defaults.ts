import { Env } from './env';
import { Scope } from './domain';
import { userInfo } from './user';
import { contextLang } from './columns';
import { toWire } from './fields';

/**
 * Field defaults, as Odoo's Python declares them (default=…), overridden by ir_default rows
 * and by the context's default_<field> keys. Fields without a default are left out, as
 * default_get leaves them out. create() (engineer "ormw") uses the same function.
 */
type DefaultFn = (env: Env) => Promise<unknown> | unknown;
type Defaults = Record<string, unknown | DefaultFn>;

const currentCompany: DefaultFn = async (env) => (await userInfo(env)).companyId;
const currentLang: DefaultFn = (env) => contextLang(env);

const DEFAULTS: Record<string, Defaults> = {
  'loyalty.program': {
    active: true, program_type: 'promotion', applies_on: 'current', company_id: currentCompany, portal_visible: false,
    portal_point_name: 'Points', pos_ok: true, sale_ok: true, max_usage: 0,
  },
  'loyalty.rule': {
    active: true, mode: 'auto', minimum_qty: 1, minimum_amount_tax_mode: 'incl', reward_point_amount: 1, reward_point_mode: 'order',
    reward_point_split: false, product_domain: '[]',
  },
  'loyalty.reward': {
    active: true, reward_type: 'discount', discount: 10, discount_mode: 'percent', discount_applicability: 'order',
    discount_product_domain: '[]', reward_product_qty: 1, required_points: 1, clear_wallet: false,
  },
  'loyalty.card': { points: 0 },
  'res.partner': {
    active: true, type: 'contact', is_company: false, lang: currentLang, customer_rank: 0, supplier_rank: 0, color: 0,
    employee: false, partner_share: true, free_member: false,
  },
  'membership.membership_line': { state: 'none' },
  'pos.order': { state: 'draft', amount_tax: 0, amount_total: 0, amount_paid: 0, amount_return: 0, company_id: currentCompany, to_invoice: false, is_tipped: false },
  'pos.order.line': { qty: 1, discount: 0 },
  'product.template': { active: true, sale_ok: true, purchase_ok: true, list_price: 1, detailed_type: 'consu', type: 'consu', membership: false, priority: '0' },
  'product.product': { active: true },
};

/** Defaults of `fields` (only those that have one), ready to store or to answer default_get. */
export async function defaultValues(env: Env, model: string, fields: string[]): Promise<Record<string, unknown>> {
  const scope = await Scope.of(env);
  const m = scope.reg.model(model);
  const table = DEFAULTS[model] ?? {};
  const out: Record<string, unknown> = {};
  const { rows } = await env.cr.raw(
    `select f.name, d.json_value from ir_default d join ir_model_fields f on f.id = d.field_id
      where f.model = ? and (d.user_id is null or d.user_id = ?) and (d.company_id is null or d.company_id = ?) and d.condition is null
      order by d.user_id nulls first, d.company_id nulls first`,
    [model, env.uid, scope.companyId],
  );
  const irDefaults = new Map<string, unknown>();
  for (const r of rows as Array<{ name: string; json_value: string }>) {
    try {
      irDefaults.set(r.name, JSON.parse(r.json_value));
    } catch {
      // a malformed ir_default is ignored, as Odoo's get_model_defaults ignores it
    }
  }
  for (const name of fields) {
    if (typeof name !== 'string' || !m.fields.has(name)) continue;
    const ctxKey = `default_${name}`;
    if (ctxKey in env.context) out[name] = env.context[ctxKey];
    else if (irDefaults.has(name)) out[name] = irDefaults.get(name);
    else if (name in table) {
      const v = table[name];
      out[name] = typeof v === 'function' ? await (v as DefaultFn)(env) : v;
    }
  }
  return out;
}

/** default_get(fields_list). */
export async function defaultGet(env: Env, model: string, fields: unknown[]): Promise<Record<string, unknown>> {
  const values = await defaultValues(env, model, fields.filter((f): f is string => typeof f === 'string'));
  const m = (await Scope.of(env)).reg.model(model);
  for (const [name, v] of Object.entries(values)) {
    const f = m.fields.get(name)!;
    if (f.type === 'float' || f.type === 'monetary') values[name] = toWire(f, v);
  }
  return values;
}

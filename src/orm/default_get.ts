import { Env } from './env';
import { getRegistry } from './registry';
import { defaultValues, defineDefaults } from './defaults';
import { toWire } from './fields';
import { contextLang } from './columns';

/**
 * default_get(fields_list): the defaults of the named fields that have one (context
 * default_<field>, ir_default, then the model's declared default), floats as floats.
 */
export async function defaultGet(env: Env, model: string, fields: unknown[]): Promise<Record<string, unknown>> {
  const m = (await getRegistry(env.app)).model(model);
  const names = fields.filter((f): f is string => typeof f === 'string' && m.fields.has(f));
  const values = await defaultValues(env, model, names);
  for (const [name, v] of Object.entries(values)) {
    const f = m.fields.get(name)!;
    if (f.type === 'float' || f.type === 'monetary') values[name] = toWire(f, v);
  }
  return values;
}

// Declared defaults of the non-loyalty models the sidecar serves (the loyalty models declare
// theirs in src/models/loyalty). Only fields whose Python definition has default=….
defineDefaults('res.partner', {
  active: true, type: 'contact', is_company: false, lang: (env: Env) => contextLang(env), customer_rank: 0, supplier_rank: 0,
  color: 0, employee: false, free_member: false,
});
defineDefaults('membership.membership_line', { state: 'none' });
defineDefaults('product.template', { active: true, sale_ok: true, purchase_ok: true, list_price: 1, detailed_type: 'consu', type: 'consu', membership: false, priority: '0' });
defineDefaults('product.product', { active: true });
defineDefaults('pos.order.line', { qty: 1, discount: 0 });

import { Env } from '../orm/env';
import { defineDefaults } from '../orm/defaults';
import { afterWrite } from '../orm/computes';
import { refId } from '../orm/xmlid';
import { createRecords, writeRecords } from '../orm/write/records';
import { defineInverse } from '../orm/write/inverses';
import { defineCopyDefaults } from '../orm/write/copy';

/**
 * product.template / product.product on the write side: the defaults Odoo's product, sale,
 * stock and point_of_sale modules give a new product, the purchase unit that follows the
 * unit, type ⇄ detailed_type, and the one variant a new template gets (not when the template
 * is made for a product.product being created, Odoo's create_product_product flag).
 */

defineDefaults('product.template', {
  categ_id: (env: Env) => refId(env, 'product.product_category_all'),
  uom_id: (env: Env) => refId(env, 'uom.product_uom_unit'),
  sequence: 1,
  sale_delay: 0,
  tracking: 'none',
  service_type: 'manual',
  sale_line_warn: 'no-message',
  purchase_line_warn: 'no-message',
  expense_policy: 'no',
  invoice_policy: 'order',
  available_in_pos: false,
});

defineDefaults('product.template', {
  // computed before insert from the other values: the purchase unit follows the unit;
  // detailed_type is what Odoo 17 stores, type is computed from it, and a given type sets both.
  uom_po_id: (_env: Env, vals: Record<string, unknown>) => vals.uom_id ?? false,
  detailed_type: (_env: Env, vals: Record<string, unknown>) => vals.type ?? 'consu',
  type: (_env: Env, vals: Record<string, unknown>) => vals.detailed_type ?? 'consu',
});

afterWrite('product.template', ['detailed_type'], async (env, ids, event) => {
  if (!event.fields.has('type')) {
    await env.cr.raw(`update product_template set type = detailed_type where id = any(?) and type is distinct from detailed_type`, [ids]);
  }
});

afterWrite('product.template', [], async (env, ids, event) => {
  if (event.kind !== 'create' || env.context.create_product_product) return;
  const rows: Array<{ id: number; active: boolean | null }> = await env.cr('product_template').whereIn('id', ids).select('id', 'active');
  for (const t of rows) await createRecords(env, 'product.product', [{ product_tmpl_id: t.id, active: t.active !== false }]);
});

/** Odoo names a copied product "<name> (copy)" (in the language of the call). */
defineCopyDefaults('product.template', (env, original) => {
  const names = (original.name ?? {}) as Record<string, string>;
  const lang = typeof env.context.lang === 'string' ? env.context.lang : 'en_US';
  return { name: `${names[lang] ?? names.en_US ?? ''} (copy)` };
});

/** product.product._set_product_lst_price: the sales price less the variant's extra goes to the template. */
defineInverse('product.product', 'lst_price', async (env, ids, value) => {
  const price = Number(value === false || value === null ? 0 : value);
  const rows: Array<{ tmpl: number; extra: number | null }> = (
    await env.cr.raw(
      `select pp.product_tmpl_id as tmpl,
              (select sum(v.price_extra) from product_variant_combination c
                 join product_template_attribute_value v on v.id = c.product_template_attribute_value_id
                where c.product_product_id = pp.id) as extra
         from product_product pp where pp.id = any(?)`,
      [ids],
    )
  ).rows;
  for (const r of rows) await writeRecords(env, 'product.template', [r.tmpl], { list_price: price - (r.extra ?? 0) });
});

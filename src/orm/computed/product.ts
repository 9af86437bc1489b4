import { defineCompute } from '../compute';
import { byId, constant, countPer, listById } from './helpers';
import { defineSearch, NEGATIVE_OPERATORS } from '../search_methods';
import { Scope } from '../domain';
import { userInfo } from '../user';
import { FieldNotServed } from '../served';
import { productDisplayNames } from './display-names';
import { computeAll } from '../../engine/taxes';
import { floatRound } from '../../engine/round';
import { Tax } from '../../engine/types';
import { fiscalCountryCodes } from './partner';
import { formatAmount, langFormat } from './format';
import { searchIds } from '../search';

/**
 * product.template and product.product's non-stored computed fields (product, account, sale,
 * stock's non-quantity ones), as Odoo 17 computes them; quantities and valuation are in
 * product-stock.ts. The display name is in display-names.ts.
 */

// ---------------------------------------------------------------- prices

/** product.product: its sales price with variant extras. */
defineCompute('product.product', 'price_extra', (scope, ids) =>
  byId(scope, ids, `select c.product_product_id as id, sum(v.price_extra) as value
                      from product_variant_combination c join product_template_attribute_value v on v.id = c.product_template_attribute_value_id
                     where c.product_product_id = any(?) group by c.product_product_id`, [ids], 0));

defineCompute('product.product', 'lst_price', (scope, ids) =>
  byId(scope, ids, `select p.id, coalesce(t.list_price, 0) + coalesce((select sum(v.price_extra) from product_variant_combination c
                          join product_template_attribute_value v on v.id = c.product_template_attribute_value_id
                         where c.product_product_id = p.id), 0) as value
                      from product_product p join product_template t on t.id = p.product_tmpl_id where p.id = any(?)`, [ids], 0));

// ---------------------------------------------------------------- variants

defineCompute('product.product', 'is_product_variant', constant(true));
defineCompute('product.template', 'is_product_variant', constant(false));
/** The template's variants as product_variant_ids reads them: searched as the user (active_test of the call), in product.product's order. */
async function variantsOf(scope: Scope, ids: number[]): Promise<Map<number, unknown>> {
  const variants = await searchIds(scope.env, 'product.product', [['product_tmpl_id', 'in', ids]]);
  const { rows } = await scope.env.cr.raw(`select id, product_tmpl_id from product_product where id = any(?)`, [variants]);
  const template = new Map<number, number>(rows.map((r: { id: number; product_tmpl_id: number }) => [r.id, r.product_tmpl_id]));
  const out = new Map<number, unknown>(ids.map((id) => [id, [] as number[]]));
  for (const v of variants) (out.get(template.get(v)!) as number[] | undefined)?.push(v);
  return out;
}
defineCompute('product.template', 'product_variant_count', async (scope, ids) =>
  new Map([...(await variantsOf(scope, ids))].map(([id, v]) => [id, (v as number[]).length])));
defineCompute('product.template', 'product_variant_id', async (scope, ids) =>
  new Map([...(await variantsOf(scope, ids))].map(([id, v]) => [id, (v as number[])[0] ?? null])));
/**
 * _compute_template_field_from_variant_field: the single variant's value, else the default; a
 * template without active variant looks at its archived ones (when active_test is on).
 */
function fromSingleVariant(column: string, empty: unknown) {
  return (scope: Scope, ids: number[]) => {
    const activeOnly = scope.env.context.active_test !== false;
    return byId(scope, ids, `select t.id, case
          when (select count(*) from product_product p where p.product_tmpl_id = t.id ${activeOnly ? 'and p.active' : ''}) = 1
            then (select p.${column} from product_product p where p.product_tmpl_id = t.id ${activeOnly ? 'and p.active' : ''})
          when ${activeOnly ? 'true' : 'false'} and not exists (select 1 from product_product p where p.product_tmpl_id = t.id and p.active)
               and (select count(*) from product_product p where p.product_tmpl_id = t.id) = 1
            then (select p.${column} from product_product p where p.product_tmpl_id = t.id)
          end as value from product_template t where t.id = any(?)`, [ids], empty);
  };
}
defineCompute('product.template', 'barcode', fromSingleVariant('barcode', null));
/** packaging_ids: the single variant's packagings. */
defineCompute('product.template', 'packaging_ids', async (scope, ids) => {
  const variants = await variantsOf(scope, ids);
  const single = new Map([...variants].filter(([, v]) => (v as number[]).length === 1).map(([id, v]) => [(v as number[])[0], id]));
  const out = new Map<number, unknown>(ids.map((id) => [id, []]));
  if (!single.size) return out;
  const { rows } = await scope.env.cr.raw(`select id, product_id from product_packaging where product_id = any(?) order by product_id, sequence, product_id, id`, [[...single.keys()]]);
  for (const r of rows) (out.get(single.get(r.product_id)!) as number[]).push(r.id);
  return out;
});
/** standard_price of a template: its single variant's (company-dependent, through ir_property). */
defineCompute('product.template', 'standard_price', async (scope, ids) => {
  const activeOnly = scope.env.context.active_test !== false;
  const { rows } = await scope.env.cr.raw(
    `select t.id, (array_agg(p.id order by p.id) filter (where ${activeOnly ? 'p.active' : 'true'})) as active_ids, array_agg(p.id order by p.id) as all_ids
       from product_template t left join product_product p on p.product_tmpl_id = t.id where t.id = any(?) group by t.id`, [ids]);
  const pick = new Map<number, number>();
  for (const r of rows as Array<{ id: number; active_ids: number[] | null; all_ids: Array<number | null> }>) {
    const active = r.active_ids ?? [];
    const all = r.all_ids.filter((x): x is number => x !== null);
    if (active.length === 1) pick.set(r.id, active[0]);
    else if (activeOnly && !active.length && all.length === 1) pick.set(r.id, all[0]);
  }
  const prices = await standardPrices(scope, [...pick.values()]);
  return new Map(ids.map((id) => [id, pick.has(id) ? prices.get(pick.get(id)!) ?? 0 : 0]));
});
/** product.product.standard_price for the current company: its ir_property, else the company default. */
export async function standardPrices(scope: Scope, ids: number[]): Promise<Map<number, number>> {
  const { rows } = await scope.env.cr.raw(
    `select p.id, coalesce((select value_float from ir_property where fields_id = f.id and res_id = 'product.product,' || p.id and (company_id = ? or company_id is null) order by company_id is null limit 1),
                           (select value_float from ir_property where fields_id = f.id and res_id is null and (company_id = ? or company_id is null) order by company_id is null limit 1), 0) as value
       from product_product p, (select id from ir_model_fields where model = 'product.product' and name = 'standard_price') f where p.id = any(?)`, [scope.companyId, scope.companyId, ids]);
  return new Map(rows.map((r: { id: number; value: number }) => [r.id, Number(r.value)]));
}

/** all_product_tag_ids: the template's tags, then the variant's own additional ones. */
defineCompute('product.product', 'all_product_tag_ids', (scope, ids) =>
  listById(scope, ids, `select x.id, x.value from (
      select p.id, g.id as value, 0 as part, g.id as gid from product_product p
        join product_tag_product_template_rel r on r.product_template_id = p.product_tmpl_id join product_tag g on g.id = r.product_tag_id where p.id = any(?)
      union
      select p.id, g.id, 1, g.id from product_product p
        join product_tag_product_product_rel r on r.product_product_id = p.id join product_tag g on g.id = r.product_tag_id where p.id = any(?)
    ) x where not (x.part = 1 and exists (select 1 from product_product p join product_tag_product_template_rel r on r.product_template_id = p.product_tmpl_id
                                          where p.id = x.id and r.product_tag_id = x.value))
    order by x.id, x.part, x.gid`, [ids, ids]));
defineSearch('product.product', 'all_product_tag_ids', (operator, value, path) =>
  NEGATIVE_OPERATORS.has(operator)
    ? [[path.on('product_tag_ids'), operator, value], [path.on('additional_product_tag_ids'), operator, value]]
    : ['|', [path.on('product_tag_ids'), operator, value], [path.on('additional_product_tag_ids'), operator, value]]);

/** code / partner_ref: with a partner_id in the context Odoo looks at that vendor's codes, which the sidecar does not. */
function refuseVendorContext(scope: Scope, field: string) {
  if (scope.env.context.partner_id) throw new FieldNotServed('product.product', [field]);
}
defineCompute('product.product', 'code', async (scope, ids) => {
  refuseVendorContext(scope, 'code');
  return byId(scope, ids, `select id, default_code as value from product_product where id = any(?)`, [ids]);
});
defineCompute('product.product', 'partner_ref', async (scope, ids) => {
  refuseVendorContext(scope, 'partner_ref');
  return productDisplayNames(scope, ids);
});

// ---------------------------------------------------------------- currencies, company, account

/** currency_id: the template's company's currency, else the main company's. */
defineCompute('product.template', 'currency_id', (scope, ids) =>
  byId(scope, ids, `select t.id, coalesce(c.currency_id, (select currency_id from res_company order by id limit 1)) as value
                      from product_template t left join res_company c on c.id = t.company_id where t.id = any(?)`, [ids]));
/** cost_currency_id: the template's company's currency, else the current company's. */
defineCompute('product.template', 'cost_currency_id', (scope, ids) =>
  byId(scope, ids, `select t.id, coalesce(c.currency_id, (select currency_id from res_company where id = ?)) as value
                      from product_template t left join res_company c on c.id = t.company_id where t.id = any(?)`, [scope.companyId, ids]));
/** company_currency_id (stock_account): the current company's currency. */
defineCompute('product.product', 'company_currency_id', (scope, ids) =>
  byId(scope, ids, `select p.id, (select currency_id from res_company where id = ?) as value from product_product p where p.id = any(?)`, [scope.companyId, ids]));
defineCompute('product.template', 'fiscal_country_codes', fiscalCountryCodes('product_template'));

/**
 * tax_string: "(= $ 16.10 Incl. Taxes)" when the list price with the current company's taxes
 * differs from it, computed as compute_all does for one unit and formatted in the user's language.
 */
async function taxStrings(scope: Scope, templates: Map<number, number>, prices: Map<number, number>): Promise<Map<number, string>> {
  const ids = [...new Set(templates.values())];
  const { rows } = await scope.env.cr.raw(
    `select t.id, cur.symbol, cur.position, cur.rounding, cur.decimal_places,
            coalesce(json_agg(json_build_object('id', x.id, 'amount_type', x.amount_type, 'amount', x.amount, 'price_include', x.price_include,
                     'include_base_amount', x.include_base_amount, 'sequence', x.sequence)) filter (where x.id is not null), '[]') as taxes
       from product_template t left join res_company c on c.id = t.company_id
       join res_currency cur on cur.id = coalesce(c.currency_id, (select currency_id from res_company order by id limit 1))
       left join product_taxes_rel r on r.prod_id = t.id left join account_tax x on x.id = r.tax_id and x.company_id = ?
      where t.id = any(?) group by t.id, cur.id`, [scope.companyId, ids]);
  const lang = await langFormat(scope);
  const byTemplate = new Map(rows.map((r: { id: number }) => [r.id, r]));
  const out = new Map<number, string>();
  for (const [id, tmpl] of templates) {
    const r = byTemplate.get(tmpl) as { symbol: string; position: string; rounding: string; decimal_places: number; taxes: Array<Record<string, unknown>> } | undefined;
    if (!r) continue;
    const taxes: Tax[] = r.taxes.map((t) => ({
      id: t.id as number, name: '', amountType: t.amount_type as Tax['amountType'], amount: Number(t.amount), priceInclude: !!t.price_include,
      includeBaseAmount: !!t.include_base_amount, sequence: Number(t.sequence ?? 1), companyId: scope.companyId,
    }));
    if (taxes.some((t) => t.amountType === 'group' || t.amountType === 'code')) throw new FieldNotServed('product.template', ['tax_string']);
    const price = prices.get(id) ?? 0;
    const rounding = Number(r.rounding);
    const res = computeAll(taxes, price, 1, rounding);
    const differs = (a: number, b: number) => floatRound(a - b, rounding) !== 0;
    const joined: string[] = [];
    const amount = (v: number) => formatAmount(v, r, lang);
    if (differs(res.totalIncluded, price)) joined.push(`${amount(res.totalIncluded)} Incl. Taxes`);
    if (differs(res.totalExcluded, price)) joined.push(`${amount(res.totalExcluded)} Excl. Taxes`);
    out.set(id, joined.length ? `(= ${joined.join(', ')})` : ' ');
  }
  return out;
}
defineCompute('product.template', 'tax_string', async (scope, ids) => {
  const { rows } = await scope.env.cr.raw(`select id, list_price from product_template where id = any(?)`, [ids]);
  return taxStrings(scope, new Map(ids.map((id) => [id, id])), new Map(rows.map((r: { id: number; list_price: string }) => [r.id, Number(r.list_price ?? 0)])));
});
defineCompute('product.product', 'tax_string', async (scope, ids) => {
  const { rows } = await scope.env.cr.raw(
    `select p.id, p.product_tmpl_id, coalesce(t.list_price, 0) + coalesce((select sum(v.price_extra) from product_variant_combination c
        join product_template_attribute_value v on v.id = c.product_template_attribute_value_id where c.product_product_id = p.id), 0) as price
       from product_product p join product_template t on t.id = p.product_tmpl_id where p.id = any(?)`, [ids]);
  return taxStrings(scope, new Map(rows.map((r: { id: number; product_tmpl_id: number }) => [r.id, r.product_tmpl_id])),
    new Map(rows.map((r: { id: number; price: string }) => [r.id, Number(r.price)])));
});

// ---------------------------------------------------------------- product, stock, sale (not quantities)

const WEIGHT_UOM = { param: 'product.weight_in_lbs', yes: 'product_uom_lb', no: 'product_uom_kgm' };
const VOLUME_UOM = { param: 'product.volume_in_cubic_feet', yes: 'product_uom_cubic_foot', no: 'product_uom_cubic_meter' };
/** weight_uom_name / volume_uom_name: kg or lb, m³ or ft³, by ir.config_parameter, in the user's language. */
function uomName(which: typeof WEIGHT_UOM) {
  return async (scope: Scope, ids: number[]) => {
    const { rows } = await scope.env.cr.raw(
      `select coalesce(u.name->>?, u.name->>'en_US') as name from ir_model_data d join uom_uom u on u.id = d.res_id
        where d.module = 'uom' and d.model = 'uom.uom'
          and d.name = case when (select value from ir_config_parameter where key = ?) = '1' then ? else ? end`, [scope.lang, which.param, which.yes, which.no]);
    return new Map(ids.map((id) => [id, rows[0]?.name ?? null]));
  };
}
for (const model of ['product.template', 'product.product']) {
  defineCompute(model, 'weight_uom_name', uomName(WEIGHT_UOM));
  defineCompute(model, 'volume_uom_name', uomName(VOLUME_UOM));
}
const CONSUMABLE_TOOLTIP = "Consumables are physical products for which you don't manage the inventory level: they are always available.";
const STORABLE_TOOLTIP = 'Storable products are physical items for which you manage the inventory level.';
/** product_tooltip (product, stock): by the product type (English texts). */
defineCompute('product.template', 'product_tooltip', (scope, ids) =>
  byId(scope, ids, `select id, case type when 'consu' then ? when 'product' then ? else '' end as value
                      from product_template where id = any(?)`, [CONSUMABLE_TOOLTIP, STORABLE_TOOLTIP, ids], ''));
/** show_on_hand / show_forecasted_qty_status_button: storable products. */
for (const field of ['show_on_hand_qty_status_button', 'show_forecasted_qty_status_button']) {
  defineCompute('product.template', field, (scope, ids) =>
    byId(scope, ids, `select id, type = 'product' as value from product_template where id = any(?)`, [ids], false));
  defineCompute('product.product', field, (scope, ids) =>
    byId(scope, ids, `select p.id, t.type = 'product' as value from product_product p join product_template t on t.id = p.product_tmpl_id where p.id = any(?)`, [ids], false));
}
/** has_available_route_ids: some route (active, of the user's rules) can be selected on products. */
defineCompute('product.template', 'has_available_route_ids', async (scope, ids) => {
  const { rows } = await scope.env.cr.raw(`select exists (select 1 from stock_route where product_selectable${scope.env.context.active_test === false ? '' : ' and active'}) as value`);
  return new Map(ids.map((id) => [id, !!rows[0]?.value]));
});
/** valid_ean: the barcode, zero-padded to 14, is a GTIN-14 with a right check digit. */
defineCompute('product.product', 'valid_ean', (scope, ids) =>
  byId(scope, ids, `select id, barcode as value from product_product where id = any(?)`, [ids]).then((codes) =>
    new Map(ids.map((id) => [id, isGtin14(String(codes.get(id) ?? ''))]))));
function isGtin14(barcode: string): boolean {
  if (!barcode) return false;
  const code = barcode.padStart(14, '0');
  if (code.length !== 14 || !/^\d+$/.test(code)) return false;
  let odd = 0;
  let even = 0;
  [...code.slice(0, -1)].reverse().forEach((d, i) => (i % 2 === 0 ? (even += Number(d)) : (odd += Number(d))));
  return (10 - ((even * 3 + odd) % 10)) % 10 === Number(code[13]);
}
/** warehouse_id / location_id: search-view fields, never stored nor computed: False. */
for (const model of ['product.template', 'product.product']) {
  defineCompute(model, 'warehouse_id', constant(null));
  defineCompute(model, 'location_id', constant(null));
}
/** product.category.total_route_ids: its routes, then its parents' (stock). */
defineCompute('product.category', 'total_route_ids', (scope, ids) =>
  listById(scope, ids, `with recursive up(id, cat, depth) as (select id, id, 0 from product_category where id = any(?)
                           union all select up.id, c.parent_id, up.depth + 1 from up join product_category c on c.id = up.cat where c.parent_id is not null)
                        select up.id, r.id as value from up join stock_route_categ rc on rc.categ_id = up.cat join stock_route r on r.id = rc.route_id
                        ${scope.env.context.active_test === false ? '' : 'where r.active'}
                        group by up.id, r.id order by up.id, min(up.depth), min(r.sequence), r.id`, [ids]));
/** visible_expense_policy (sale): the user is in analytic.group_analytic_accounting. */
defineCompute('product.template', 'visible_expense_policy', async (scope, ids) => {
  const has = await inGroup(scope, 'analytic', 'group_analytic_accounting');
  return new Map(ids.map((id) => [id, has]));
});
/** product_catalog_product_is_in_sale_order (sale): only with an order_id in the context. */
defineCompute('product.product', 'product_catalog_product_is_in_sale_order', async (scope, ids) => {
  const order = scope.env.context.order_id;
  if (!order) return new Map(ids.map((id) => [id, false]));
  return byId(scope, ids, `select product_id as id, true as value from sale_order_line where order_id = ? and product_id = any(?) group by product_id`, [Number(order), ids], false);
});
/** can_image_1024_be_zoomed: the variant's own image decides, else the template's stored flag. */
defineCompute('product.product', 'can_image_1024_be_zoomed', (scope, ids) =>
  byId(scope, ids, `select p.id, case when exists (select 1 from ir_attachment a where a.res_model = 'product.product' and a.res_id = p.id and a.res_field = 'image_variant_1920')
                                      then coalesce(p.can_image_variant_1024_be_zoomed, false) else coalesce(t.can_image_1024_be_zoomed, false) end as value
                      from product_product p join product_template t on t.id = p.product_tmpl_id where p.id = any(?)`, [ids], false));

/** pricelist_item_count: rules of active pricelists on the template or (variant: applied on) the variant. */
defineCompute('product.template', 'pricelist_item_count', (scope, ids) =>
  byId(scope, ids, `select t.id, (select count(*)::int from product_pricelist_item i join product_pricelist l on l.id = i.pricelist_id
                                   where l.active and (i.product_tmpl_id = t.id or i.product_id in (select p.id from product_product p where p.product_tmpl_id = t.id and p.active))) as value
                      from product_template t where t.id = any(?)`, [ids], 0));
defineCompute('product.product', 'pricelist_item_count', (scope, ids) =>
  byId(scope, ids, `select p.id, (select count(*)::int from product_pricelist_item i join product_pricelist l on l.id = i.pricelist_id
                                   where l.active and ((i.product_tmpl_id = p.product_tmpl_id and i.applied_on = '1_product') or (i.product_id = p.id and i.applied_on = '0_product_variant'))) as value
                      from product_product p where p.id = any(?)`, [ids], 0));
/** product_document_count: documents of the template and of its (active) variants; a variant's own. */
defineCompute('product.template', 'product_document_count', (scope, ids) =>
  byId(scope, ids, `select t.id, (select count(*)::int from product_document d join ir_attachment a on a.id = d.ir_attachment_id
                                   where d.active and ((a.res_model = 'product.template' and a.res_id = t.id)
                                      or (a.res_model = 'product.product' and a.res_id in (select p.id from product_product p where p.product_tmpl_id = t.id and p.active)))) as value
                      from product_template t where t.id = any(?)`, [ids], 0));
defineCompute('product.product', 'product_document_count', (scope, ids) =>
  byId(scope, ids, `select a.res_id as id, count(*)::int as value from product_document d join ir_attachment a on a.id = d.ir_attachment_id
                     where d.active and a.res_model = 'product.product' and a.res_id = any(?) group by a.res_id`, [ids], 0));

/** Whether the user is in the group of that xml id (implied groups included). */
export async function inGroup(scope: Scope, module: string, name: string): Promise<boolean> {
  const user = await userInfo(scope.env);
  const { rows } = await scope.env.cr.raw(`select res_id from ir_model_data where model = 'res.groups' and module = ? and name = ?`, [module, name]);
  return rows.length > 0 && user.groups.has(rows[0].res_id);
}

/** valid_product_template_attribute_line_ids: the template's attribute lines that have values, in their order. */
defineCompute('product.template', 'valid_product_template_attribute_line_ids', (scope, ids) =>
  listById(scope, ids, `select l.product_tmpl_id as id, l.id as value from product_template_attribute_line l join product_attribute a on a.id = l.attribute_id
                         where l.product_tmpl_id = any(?)${scope.env.context.active_test === false ? '' : ' and l.active'}
                           and exists (select 1 from product_attribute_value_product_template_attribute_line_rel r where r.product_template_attribute_line_id = l.id)
                         order by l.product_tmpl_id, l.sequence, a.sequence, a.id, l.id`, [ids]));

/** product.category.product_count: templates (as the user) in the category and its descendants. */
defineCompute('product.category', 'product_count', async (scope, ids) => {
  const counts = await countPer(scope, 'product.template', [['categ_id', 'child_of', ids]], 'categ_id');
  const { rows } = await scope.env.cr.raw(`select c.id, d.id as sub from product_category c join product_category d on d.parent_path like c.parent_path || '%' where c.id = any(?)`, [ids]);
  const out = new Map<number, unknown>(ids.map((id) => [id, 0]));
  for (const r of rows as Array<{ id: number; sub: number }>) out.set(r.id, Number(out.get(r.id)) + (counts.get(r.sub) ?? 0));
  return out;
});
/** filter_for_stock_putaway_rule: a search-only field: False. */
defineCompute('product.category', 'filter_for_stock_putaway_rule', constant(false));
/** product.tag.product_ids: the variants of its templates (templates in their order, variants in theirs), then its own variants. */
defineCompute('product.tag', 'product_ids', async (scope, ids) => {
  const rel = async (table: string, column: string) =>
    (await scope.env.cr.raw(`select product_tag_id as tag, array_agg(${column}) as ids from ${table} where product_tag_id = any(?) group by product_tag_id`, [ids])).rows as Array<{ tag: number; ids: number[] }>;
  const templatesOf = new Map((await rel('product_tag_product_template_rel', 'product_template_id')).map((r) => [r.tag, r.ids]));
  const variantsOfTag = new Map((await rel('product_tag_product_product_rel', 'product_product_id')).map((r) => [r.tag, r.ids]));
  const out = new Map<number, unknown>();
  for (const id of ids) {
    const templates = templatesOf.has(id) ? await searchIds(scope.env, 'product.template', [['id', 'in', templatesOf.get(id)!]]) : [];
    const variants = await variantsOf(scope, templates);
    const list: number[] = templates.flatMap((t) => variants.get(t) as number[]);
    const own = variantsOfTag.has(id) ? await searchIds(scope.env, 'product.product', [['id', 'in', variantsOfTag.get(id)!]]) : [];
    for (const v of own) if (!list.includes(v)) list.push(v);
    out.set(id, list);
  }
  return out;
});
defineSearch('product.tag', 'product_ids', (operator, value, path) =>
  NEGATIVE_OPERATORS.has(operator)
    ? [[path.on('product_template_ids.product_variant_ids'), operator, value], [path.on('product_product_ids'), operator, value]]
    : ['|', [path.on('product_template_ids.product_variant_ids'), operator, value], [path.on('product_product_ids'), operator, value]]);
/** account.tax.name_searchable: a search-only field: False. */
defineCompute('account.tax', 'name_searchable', constant(null));

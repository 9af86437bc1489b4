import { defineCompute } from '../compute';
import { inOrder } from '../../db/in-order';
import { byId } from './helpers';
import { Scope } from '../domain';
import { searchIds } from '../search';
import { evalPyLiteral } from '../pyliteral';
import { pyJsonDumps } from '../pyrepr';
import { constant } from './helpers';
import { readRaw } from '../read';
import { ModelDef } from '../registry';
import { combine } from '../rules';

/**
 * Non-stored computed fields of loyalty.program, .rule, .reward and .card, computed as
 * Odoo 17's loyalty, sale_loyalty and pos_loyalty compute them.
 */

// ---------------------------------------------------------------- loyalty.program

const ITEMS_NAME: Record<string, string> = {
  coupons: 'Coupons', promotion: 'Promos', gift_card: 'Gift Cards', loyalty: 'Loyalty Cards',
  ewallet: 'eWallets', promo_code: 'Discounts', buy_x_get_y: 'Promos', next_order_coupons: 'Coupons',
};

const couponCount = (scope: Scope, ids: number[]) =>
  byId(scope, ids, `select program_id as id, count(*)::int as value from loyalty_card where program_id = any(?) group by program_id`, [ids], 0);

/** POS orders that used a program: orders with a reward line of one of its rewards. */
const posOrderCount = (scope: Scope, ids: number[]) =>
  byId(scope, ids, `select r.program_id as id, count(distinct l.order_id)::int as value
                      from pos_order_line l join loyalty_reward r on r.id = l.reward_id
                     where r.program_id = any(?) group by r.program_id`, [ids], 0);

const saleOrderCount = async (scope: Scope, ids: number[]) => {
  if (!scope.reg.has('sale.order.line')) return new Map(ids.map((id) => [id, 0]));
  return byId(scope, ids, `select r.program_id as id, count(distinct l.order_id)::int as value
                             from sale_order_line l join loyalty_reward r on r.id = l.reward_id
                            where r.program_id = any(?) group by r.program_id`, [ids], 0);
};

defineCompute('loyalty.program', 'coupon_count', couponCount);
defineCompute('loyalty.program', 'pos_order_count', posOrderCount);
defineCompute('loyalty.program', 'order_count', saleOrderCount);
defineCompute('loyalty.program', 'total_order_count', async (scope, ids) => {
  const [pos, sale] = await inOrder([() => posOrderCount(scope, ids), () => saleOrderCount(scope, ids)]);
  return new Map(ids.map((id) => [id, Number(pos.get(id) ?? 0) + Number(sale.get(id) ?? 0)]));
});
defineCompute('loyalty.program', 'coupon_count_display', async (scope, ids, model) => {
  const counts = await couponCount(scope, ids);
  const types = await column(scope, model, ids, 'program_type');
  return new Map(ids.map((id) => [id, `${counts.get(id) ?? 0} ${ITEMS_NAME[String(types.get(id))] ?? ''}`]));
});
defineCompute('loyalty.program', 'is_nominative', async (scope, ids, model) => {
  const [types, applies] = await inOrder([() => column(scope, model, ids, 'program_type'), () => column(scope, model, ids, 'applies_on')]);
  return new Map(ids.map((id) => [id, applies.get(id) === 'both' || (types.get(id) === 'ewallet' && applies.get(id) === 'future')]));
});
defineCompute('loyalty.program', 'is_payment_program', async (scope, ids, model) => {
  const types = await column(scope, model, ids, 'program_type');
  return new Map(ids.map((id) => [id, types.get(id) === 'gift_card' || types.get(id) === 'ewallet']));
});
defineCompute('loyalty.program', 'payment_program_discount_product_id', (scope, ids) =>
  byId(scope, ids, `select p.id, (select r.discount_line_product_id from loyalty_reward r where r.program_id = p.id and r.active order by r.required_points, r.id limit 1) as value
                      from loyalty_program p where p.id = any(?) and p.program_type in ('gift_card', 'ewallet')`, [ids]));

/** mail_template_id / pos_report_print_id: the first one set on the program's communication plans (loyalty.mail, by id). */
for (const field of ['mail_template_id', 'pos_report_print_id']) {
  defineCompute('loyalty.program', field, (scope, ids) =>
    byId(scope, ids, `select program_id as id, (array_agg(${field} order by id) filter (where ${field} is not null))[1] as value
                        from loyalty_mail where program_id = any(?) group by program_id`, [ids]));
}
/** available_on: a label's field, never stored nor computed: False. */
defineCompute('loyalty.program', 'available_on', constant(false));
/** user_has_debug: the user is in base.group_no_one (technical features). */
// user_has_groups('base.group_no_one') is true only in a web request in debug mode, which an RPC call never is.
for (const model of ['loyalty.rule', 'loyalty.reward']) defineCompute(model, 'user_has_debug', constant(false));

// ---------------------------------------------------------------- product filters of rules and rewards

interface ProductFilter { ids: number[]; category: number | null; tag: number | null; domain: string | null }

/** Odoo's _get_valid_product_domain / _get_discount_product_domain. */
function productDomain(f: ProductFilter): unknown[] {
  let domain: unknown[] = [];
  const or = (a: unknown[], b: unknown[]) => (a.length ? ['|', ...a, ...b] : b);
  if (f.ids.length) domain = [['id', 'in', f.ids]];
  if (f.category) domain = or(domain, [['categ_id', 'child_of', f.category]]);
  if (f.tag) domain = or(domain, [['all_product_tag_ids', 'in', f.tag]]);
  const extra = f.domain && f.domain !== '[]' ? (evalPyLiteral(f.domain) as unknown[]) : [];
  if (extra.length) domain = domain.length ? combine('&', [domain, extra]) : extra;
  return domain;
}

async function productFilters(scope: Scope, model: ModelDef, ids: number[], prefix: 'product' | 'discount_product'): Promise<Map<number, ProductFilter>> {
  const rel = model.fields.get(`${prefix}_ids`)!;
  const { rows } = await scope.env.cr.raw(
    `select t.id, t.${prefix}_category_id as category, t.${prefix}_tag_id as tag, t.${prefix}_domain as domain,
            array(select r."${rel.column2}" from "${rel.relationTable}" r where r."${rel.column1}" = t.id) as ids
       from "${model.table}" t where t.id = any(?)`,
    [ids],
  );
  return new Map(rows.map((r: ProductFilter & { id: number }) => [r.id, r]));
}


/** Products matching `domain`, searched as the user (rights, rules, the call's active_test), by id. */
const productsMatching = (scope: Scope, domain: unknown[]) => searchIds(scope.env, 'product.product', domain, { order: 'id' });

/** pos_loyalty's rule computes: a rule without product filter (or only sale_ok) applies to any product. */
const ANY_PRODUCT_DOMAINS = new Set(['[]', "[['sale_ok', '=', True]]"]);
const anyProduct = (f: ProductFilter) => !f.ids.length && !f.category && !f.tag && f.domain !== null && ANY_PRODUCT_DOMAINS.has(f.domain);

defineCompute('loyalty.rule', 'valid_product_ids', async (scope, ids, model) => {
  const filters = await productFilters(scope, model, ids, 'product');
  const out = new Map<number, unknown>();
  const byDomain = new Map<string, number[]>();
  for (const id of ids) {
    const f = filters.get(id)!;
    if (anyProduct(f)) {
      out.set(id, []);
      continue;
    }
    const domain = combine('&', [[['available_in_pos', '=', true]], productDomain(f)].filter((d) => d.length));
    const key = JSON.stringify(domain);
    if (!byDomain.has(key)) byDomain.set(key, await productsMatching(scope, domain));
    out.set(id, byDomain.get(key));
  }
  return out;
});
defineCompute('loyalty.rule', 'any_product', async (scope, ids, model) => {
  const filters = await productFilters(scope, model, ids, 'product');
  return new Map(ids.map((id) => [id, anyProduct(filters.get(id)!)]));
});

/** The ir.config_parameter that turns the rewards' product lists on ('enabled', the default) or off. */
async function allDiscountProductsEnabled(scope: Scope): Promise<boolean> {
  const { rows } = await scope.env.cr.raw(`select value from ir_config_parameter where key = 'loyalty.compute_all_discount_product_ids'`);
  return (rows[0]?.value ?? 'enabled') === 'enabled';
}

/** _get_discount_product_domain: the category filter lists the category's descendants, then the category. */
async function discountDomains(scope: Scope, model: ModelDef, ids: number[]): Promise<Map<number, unknown[]>> {
  const filters = await productFilters(scope, model, ids, 'discount_product');
  const out = new Map<number, unknown[]>();
  for (const id of ids) {
    const f = filters.get(id)!;
    let domain: unknown[] = [];
    const or = (a: unknown[], b: unknown[]) => (a.length ? ['|', ...a, ...b] : b);
    // discount_product_ids.ids: as the many2many reads them, in product.product's order
    if (f.ids.length) domain = [['id', 'in', await searchIds(scope.env, 'product.product', [['id', 'in', f.ids]])]];
    if (f.category) domain = or(domain, [['categ_id', 'in', [...(await categoryDescendants(scope, f.category)), f.category]]]);
    if (f.tag) domain = or(domain, [['all_product_tag_ids', 'in', f.tag]]);
    const extra = f.domain && f.domain !== '[]' ? (evalPyLiteral(f.domain) as unknown[]) : [];
    if (extra.length) domain = domain.length ? combine('&', [domain, extra]) : extra;
    out.set(id, domain);
  }
  return out;
}

/** _find_all_category_children: depth first, children in product.category's order. */
async function categoryDescendants(scope: Scope, category: number): Promise<number[]> {
  const { rows } = await scope.env.cr.raw(`select id, parent_id from product_category order by complete_name, id`);
  const children = new Map<number, number[]>();
  for (const r of rows as Array<{ id: number; parent_id: number | null }>) {
    if (r.parent_id !== null) children.set(r.parent_id, [...(children.get(r.parent_id) ?? []), r.id]);
  }
  const out: number[] = [];
  const walk = (c: number) => {
    for (const k of children.get(c) ?? []) {
      out.push(k);
      walk(k);
    }
  };
  walk(category);
  return out;
}

defineCompute('loyalty.reward', 'all_discount_product_ids', async (scope, ids, model) => {
  if (!(await allDiscountProductsEnabled(scope))) return new Map(ids.map((id) => [id, []]));
  const domains = await discountDomains(scope, model, ids);
  const out = new Map<number, unknown>();
  for (const id of ids) out.set(id, await productsMatching(scope, domains.get(id)!));
  return out;
});
defineCompute('loyalty.reward', 'reward_product_domain', async (scope, ids, model) => {
  if (await allDiscountProductsEnabled(scope)) return new Map(ids.map((id) => [id, 'null']));
  const domains = await discountDomains(scope, model, ids);
  return new Map(ids.map((id) => [id, pyJsonDumps(domains.get(id))]));
});
defineCompute('loyalty.reward', 'is_global_discount', (scope, ids) =>
  byId(scope, ids, `select id, (reward_type = 'discount' and discount_applicability = 'order' and discount_mode = 'percent') as value
                      from loyalty_reward where id = any(?)`, [ids], false));
defineCompute('loyalty.reward', 'reward_product_ids', async (scope, ids) => rewardProducts(scope, ids));
defineCompute('loyalty.reward', 'multi_product', async (scope, ids) => {
  const products = await rewardProducts(scope, ids);
  return new Map(ids.map((id) => [id, (products.get(id) as number[]).length > 1]));
});
defineCompute('loyalty.reward', 'reward_product_uom_id', (scope, ids) =>
  byId(scope, ids, `select r.id, t.uom_id as value from loyalty_reward r join product_product p on p.id = r.reward_product_id
                      join product_template t on t.id = p.product_tmpl_id where r.id = any(?) and r.reward_type = 'product'`, [ids]));

/** A product reward's products: its product, plus the products of its tag. */
async function rewardProducts(scope: Scope, ids: number[]) {
  const { rows } = await scope.env.cr.raw(
    `select r.id, array(select p.id from product_product p join product_template t on t.id = p.product_tmpl_id
                         where r.reward_type = 'product' and p.active and (p.id = r.reward_product_id or (r.reward_product_tag_id is not null and
                               (exists (select 1 from product_tag_product_template_rel x where x.product_template_id = t.id and x.product_tag_id = r.reward_product_tag_id)
                                or exists (select 1 from product_tag_product_product_rel y where y.product_product_id = p.id and y.product_tag_id = r.reward_product_tag_id))))
                         order by p.id) as value
       from loyalty_reward r where r.id = any(?)`,
    [ids],
  );
  const found = new Map(rows.map((r: { id: number; value: number[] }) => [r.id, r.value]));
  return new Map(ids.map((id) => [id, found.get(id) ?? []]));
}

// ---------------------------------------------------------------- loyalty.card

defineCompute('loyalty.card', 'points_display', async (scope, ids) => {
  const { rows } = await scope.env.cr.raw(
    `select c.id, c.points, coalesce(p.portal_point_name->>?, p.portal_point_name->>'en_US') as point_name, cur.symbol, cur.position, cur.decimal_places
       from loyalty_card c join loyalty_program p on p.id = c.program_id left join res_currency cur on cur.id = p.currency_id
      where c.id = any(?)`,
    [scope.lang, ids],
  );
  const out = new Map<number, unknown>(ids.map((id) => [id, false]));
  for (const r of rows) out.set(r.id, formatPoints(Number(r.points ?? 0), r.point_name ?? '', r.symbol, r.position, r.decimal_places ?? 2));
  return out;
});

/** loyalty.card._format_points: a currency amount when points are money, else "N name". */
function formatPoints(points: number, name: string, symbol: string | null, position: string | null, decimals: number): string {
  if (symbol && name === symbol) {
    const amount = points.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    return position === 'after' ? `${amount}\u00a0${symbol}` : `${symbol}\u00a0${amount}`;
  }
  if (Number.isInteger(points)) return `${points} ${name}`;
  return `${points.toFixed(2)} ${name}`;
}

defineCompute('loyalty.card', 'use_count', async (scope, ids) => {
  const parts = ['select coupon_id as id from pos_order_line where coupon_id = any(?)'];
  const params: unknown[] = [ids];
  if (scope.reg.has('sale.order.line')) {
    parts.push('select coupon_id as id from sale_order_line where coupon_id = any(?)');
    params.push(ids);
  }
  return byId(scope, ids, `select id, count(*)::int as value from (${parts.join(' union all ')}) u group by id`, params, 0);
});

/** One stored column of the records, raw. */
async function column(scope: Scope, model: ModelDef, ids: number[], name: string) {
  return (await readRaw(scope, model, ids, [model.fields.get(name)!])).get(name)!;
}

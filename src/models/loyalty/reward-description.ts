import { Env } from '../../orm/env';

/**
 * loyalty.reward.description, as Odoo 17's _compute_description words it (en_US): "10% on
 * your order", "$ 5 per order on your order", "Free Product - Desk Organizer", "Gift Card",
 * "20% on specific products (Max $ 200)".
 */

/** Python's '%g': six significant digits, no trailing zeros, exponent outside 1e-4..1e6. */
export function pyG(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const exp = Math.floor(Math.log10(Math.abs(Number(x.toPrecision(6)))));
  if (exp < -4 || exp >= 6) {
    const [mantissa, e] = x.toExponential(5).split('e');
    const m = mantissa.replace(/\.?0+$/, '');
    const n = Number(e);
    return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  return x.toFixed(Math.max(0, 5 - exp)).replace(/\.?0+$/, '') || '0';
}

interface RewardRow {
  id: number;
  program_id: number;
  reward_type: string;
  discount: number | null;
  discount_mode: string;
  discount_applicability: string | null;
  discount_max_amount: number | null;
  discount_product_category_id: number | null;
  discount_product_tag_id: number | null;
  discount_product_domain: string | null;
  reward_product_id: number | null;
  reward_product_tag_id: number | null;
}

/** A product's name as display_name gives it without its internal reference. */
async function productNames(env: Env, ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const rows: Array<{ id: number; name: string }> = (
    await env.cr.raw(
      `select pp.id, coalesce(pt.name->>?, pt.name->>'en_US') as name from product_product pp
         join product_template pt on pt.id = pp.product_tmpl_id where pp.id = any(?)`,
      [lang(env), ids],
    )
  ).rows;
  return new Map(rows.map((r) => [r.id, r.name]));
}

const lang = (env: Env) => (typeof env.context.lang === 'string' && env.context.lang) || 'en_US';

/**
 * reward_product_ids: the reward product, then the tag's products as product.tag computes
 * them: the variants of its templates (in product.template's order, priority desc, name),
 * then the variants tagged directly.
 */
async function rewardProducts(env: Env, r: RewardRow): Promise<number[]> {
  const ids = r.reward_product_id ? [r.reward_product_id] : [];
  if (r.reward_product_tag_id) {
    const rows: Array<{ id: number }> = (
      await env.cr.raw(
        `select id from (
           select pp.id, 0 as part, pt.priority, coalesce(pt.name->>?, pt.name->>'en_US') as name, null::text as code
             from product_product pp join product_template pt on pt.id = pp.product_tmpl_id
            where pp.active and pt.active and pt.id in (select product_template_id from product_tag_product_template_rel where product_tag_id = ?)
           union all
           select pp.id, 1, pt.priority, coalesce(pt.name->>?, pt.name->>'en_US'), pp.default_code
             from product_product pp join product_template pt on pt.id = pp.product_tmpl_id
            where pp.active and pp.id in (select product_product_id from product_tag_product_product_rel where product_tag_id = ?)
         ) t order by part, priority desc nulls last, code nulls first, name, id`,
        [lang(env), r.reward_product_tag_id, lang(env), r.reward_product_tag_id],
      )
    ).rows;
    for (const row of rows) if (!ids.includes(row.id)) ids.push(row.id);
  }
  return ids;
}

/**
 * Up to two products the discount applies to (Odoo searches with limit=2 to tell "one
 * product" from "specific products"). The product filter is ids OR category (with children)
 * OR tag; a discount_product_domain beyond '[]' is applied by `domainFilter` when given.
 */
export type ProductDomainFilter = (env: Env, domain: string, candidateIds: number[] | null) => Promise<number[] | null>;

async function discountProducts(env: Env, r: RewardRow, domainFilter?: ProductDomainFilter): Promise<number[] | null> {
  const ids: number[] = (
    await env.cr.raw(`select product_product_id as id from loyalty_reward_product_product_rel where loyalty_reward_id = ?`, [r.id])
  ).rows.map((x: { id: number }) => x.id);
  const conditions: string[] = [];
  const bindings: unknown[] = [];
  if (ids.length) {
    conditions.push('pp.id = any(?)');
    bindings.push(ids);
  }
  if (r.discount_product_category_id) {
    conditions.push(`pt.categ_id in (select id from product_category where id = ? or parent_path like (select parent_path from product_category where id = ?) || '%')`);
    bindings.push(r.discount_product_category_id, r.discount_product_category_id);
  }
  if (r.discount_product_tag_id) {
    conditions.push(`(pp.id in (select product_product_id from product_tag_product_product_rel where product_tag_id = ?)
      or pp.product_tmpl_id in (select product_template_id from product_tag_product_template_rel where product_tag_id = ?))`);
    bindings.push(r.discount_product_tag_id, r.discount_product_tag_id);
  }
  const domain = r.discount_product_domain && r.discount_product_domain !== '[]' ? r.discount_product_domain : null;
  const sql = `select pp.id from product_product pp join product_template pt on pt.id = pp.product_tmpl_id
    where pp.active ${conditions.length ? `and (${conditions.join(' or ')})` : ''} order by pp.id`;
  let found: number[] = (await env.cr.raw(sql, bindings as never[])).rows.map((x: { id: number }) => x.id);
  if (domain) {
    if (!domainFilter) return null;
    const filtered = await domainFilter(env, domain, found);
    if (filtered === null) return null;
    found = filtered;
  }
  return found.slice(0, 2);
}

export async function describeReward(env: Env, r: RewardRow, domainFilter?: ProductDomainFilter): Promise<string> {
  const program: { program_type: string; symbol: string | null; position: string | null } = (
    await env.cr.raw(
      `select p.program_type, c.symbol, c.position from loyalty_program p left join res_currency c on c.id = p.currency_id where p.id = ?`,
      [r.program_id],
    )
  ).rows[0];
  if (program.program_type === 'gift_card') return 'Gift Card';
  if (program.program_type === 'ewallet') return 'eWallet';
  if (r.reward_type === 'product') {
    const products = await rewardProducts(env, r);
    const names = await productNames(env, products);
    if (!products.length) return 'Free Product';
    if (products.length === 1) return `Free Product - ${names.get(r.reward_product_id ?? products[0])}`;
    return `Free Product - [${products.map((id) => names.get(id)).join(', ')}]`;
  }
  if (r.reward_type !== 'discount') return '';
  const symbol = program.symbol ?? '';
  const money = (amount: number) => (program.position === 'before' ? `${symbol} ${pyG(amount)}` : `${pyG(amount)} ${symbol}`);
  const discount = r.discount ?? 0;
  let text = '';
  if (r.discount_mode === 'percent') text = `${pyG(discount)}% on `;
  else if (r.discount_mode === 'per_point') text = `${money(discount)} per point on `;
  else if (r.discount_mode === 'per_order') text = `${money(discount)} per order on `;
  if (r.discount_applicability === 'order') text += 'your order';
  else if (r.discount_applicability === 'cheapest') text += 'the cheapest product';
  else if (r.discount_applicability === 'specific') {
    const products = await discountProducts(env, r, domainFilter);
    text += products && products.length === 1 ? (await productNames(env, products)).get(products[0]) : 'specific products';
  }
  if (r.discount_max_amount) text += ` (Max ${money(r.discount_max_amount)})`;
  return text;
}

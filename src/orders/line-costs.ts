import { Knex } from 'knex';
import { conversionFactor } from '../orm/currency';

/**
 * pos.order.line.total_cost and is_total_cost_computed, as Odoo 17 stores them when it
 * processes a paid order (_compute_total_cost_in_real_time): quantity × the product's cost
 * (standard_price of the order's company) converted from the cost currency to the order's, on
 * the order's date, unrounded. Storable FIFO/AVCO products are costed from stock moves: with
 * stock updated at session closing Odoo does it at the closing; with real-time stock Odoo costs
 * them from the picking it creates, which the sidecar does not create, so they stay uncomputed
 * here too and the session closing computes them.
 */
export async function storeLineCosts(cr: Knex, orderId: number): Promise<void> {
  const { rows } = await cr.raw(
    `with o as (
       select o.id, o.company_id, o.date_order,
              coalesce(j.currency_id, jc.currency_id, cc.currency_id) as currency_id, oc.currency_id as company_currency
         from pos_order o join pos_config c on c.id = o.config_id
         left join account_journal j on j.id = c.journal_id left join res_company jc on jc.id = j.company_id
         left join res_company cc on cc.id = c.company_id left join res_company oc on oc.id = o.company_id
        where o.id = ?)
     select l.id, l.qty, t.type, o.company_id, o.date_order::date::text as date, o.currency_id,
            coalesce(tc.currency_id, o.company_currency) as cost_currency,
            coalesce((select p.value_text from ir_property p join ir_model_fields f on f.id = p.fields_id
                       where f.model = 'product.category' and f.name = 'property_cost_method'
                         and (p.res_id = 'product.category,' || t.categ_id or p.res_id is null) and (p.company_id = o.company_id or p.company_id is null)
                       order by p.res_id is null, p.company_id is null limit 1), 'standard') as cost_method,
            coalesce((select p.value_float from ir_property p join ir_model_fields f on f.id = p.fields_id
                       where f.model = 'product.product' and f.name = 'standard_price'
                         and (p.res_id = 'product.product,' || l.product_id or p.res_id is null) and (p.company_id = o.company_id or p.company_id is null)
                       order by p.res_id is null, p.company_id is null limit 1), 0) as standard_price
       from pos_order_line l join o on o.id = l.order_id
       join product_product pp on pp.id = l.product_id join product_template t on t.id = pp.product_tmpl_id
       left join res_company tc on tc.id = t.company_id
      where l.is_total_cost_computed is not true
      order by l.id`, [orderId]);
  const ids: number[] = [];
  const costs: number[] = [];
  const factors = new Map<string, number>();
  for (const r of rows as Array<{ id: number; qty: string; type: string; company_id: number; date: string;
    currency_id: number; cost_currency: number; cost_method: string; standard_price: string }>) {
    if (r.type === 'product' && (r.cost_method === 'fifo' || r.cost_method === 'average')) continue;
    const key = `${r.cost_currency}:${r.currency_id}:${r.company_id}:${r.date}`;
    if (!factors.has(key)) factors.set(key, await conversionFactor(cr, r.cost_currency, r.currency_id, r.company_id, r.date));
    ids.push(r.id);
    costs.push(Number(r.qty) * Number(r.standard_price) * factors.get(key)!);
  }
  if (!ids.length) return;
  // Odoo writes a value only when it differs from the cached one, and an empty float caches as 0.0:
  // a zero cost leaves a NULL column as it is
  await cr.raw(`update pos_order_line l set total_cost = case when c.cost = coalesce(l.total_cost, 0) then l.total_cost else c.cost end, is_total_cost_computed = true
                  from unnest(?::int[], ?::float8[]) as c(id, cost) where l.id = c.id`, [ids, costs]);
}

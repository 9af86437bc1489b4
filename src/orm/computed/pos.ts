import { defineCompute } from '../compute';
import { byId, constant, listById } from './helpers';
import { Scope } from '../domain';
import { floatRound } from '../fields';

/**
 * pos.config, pos.order and pos.order.line's non-stored computed fields, as point_of_sale,
 * pos_online_payment and portal compute them in Odoo 17.
 */

/** pos.config.currency_id: its journal's currency, else the journal's company's, else the config's company's. */
defineCompute('pos.config', 'currency_id', (scope, ids) =>
  byId(scope, ids, `select c.id, coalesce(j.currency_id, jc.currency_id, cc.currency_id) as value
                      from pos_config c left join account_journal j on j.id = c.journal_id left join res_company jc on jc.id = j.company_id
                      left join res_company cc on cc.id = c.company_id where c.id = any(?)`, [ids]));

/** pos.order.refunded_order_ids: the orders whose lines this order refunds. */
defineCompute('pos.order', 'refunded_order_ids', (scope, ids) =>
  listById(scope, ids, `select distinct l.order_id as id, o.order_id as value from pos_order_line l
                          join pos_order_line o on o.id = l.refunded_orderline_id where l.order_id = any(?) order by 2`, [ids]));
defineCompute('pos.order', 'refunded_orders_count', (scope, ids) =>
  byId(scope, ids, `select l.order_id as id, count(distinct o.order_id)::int as value from pos_order_line l
                      join pos_order_line o on o.id = l.refunded_orderline_id where l.order_id = any(?) group by l.order_id`, [ids], 0));
/** refund_orders_count / is_refunded: orders with lines refunding this order's lines. */
const refundOrders = (scope: Scope, ids: number[]) =>
  byId(scope, ids, `select l.order_id as id, count(distinct r.order_id)::int as value from pos_order_line l
                      join pos_order_line r on r.refunded_orderline_id = l.id where l.order_id = any(?) group by l.order_id`, [ids], 0);
defineCompute('pos.order', 'refund_orders_count', refundOrders);
defineCompute('pos.order', 'is_refunded', async (scope, ids) => new Map([...(await refundOrders(scope, ids))].map(([id, n]) => [id, Number(n) > 0])));
/** has_refundable_lines: a line whose quantity exceeds what was refunded (Product Unit of Measure precision). */
defineCompute('pos.order', 'has_refundable_lines', async (scope, ids) => {
  const digits = await uomDigits(scope);
  return byId(scope, ids, `select l.order_id as id, bool_or(round((l.qty + coalesce((select sum(r.qty) from pos_order_line r where r.refunded_orderline_id = l.id), 0))::numeric, ?) > 0) as value
                             from pos_order_line l where l.order_id = any(?) group by l.order_id`, [digits, ids], false);
});
defineCompute('pos.order', 'is_invoiced', (scope, ids) =>
  byId(scope, ids, `select id, account_move is not null as value from pos_order where id = any(?)`, [ids], false));
defineCompute('pos.order', 'picking_count', (scope, ids) =>
  byId(scope, ids, `select pos_order_id as id, count(*)::int as value from stock_picking where pos_order_id = any(?) group by pos_order_id`, [ids], 0));
defineCompute('pos.order', 'failed_pickings', (scope, ids) =>
  byId(scope, ids, `select pos_order_id as id, bool_or(state is distinct from 'done') as value from stock_picking where pos_order_id = any(?) group by pos_order_id`, [ids], false));
/** tracking_number: (session id % 10) * 100 + sequence number % 100, on three digits. */
defineCompute('pos.order', 'tracking_number', (scope, ids) =>
  byId(scope, ids, `select id, lpad(((coalesce(session_id, 0) % 10) * 100 + coalesce(sequence_number, 0) % 100)::text, 3, '0') as value from pos_order where id = any(?)`, [ids]));
defineCompute('pos.order', 'access_url', constant('#'));
defineCompute('pos.order', 'access_warning', constant(''));
/** online_payment_method_id: the config's first online payment method (pos_online_payment). */
defineCompute('pos.order', 'online_payment_method_id', (scope, ids) =>
  byId(scope, ids, `select o.id, (select m.id from pos_config_pos_payment_method_rel r join pos_payment_method m on m.id = r.pos_payment_method_id
                                   where r.pos_config_id = o.config_id and m.is_online_payment${scope.env.context.active_test === false ? '' : ' and m.active'}
                                   order by m.sequence, m.id limit 1) as value from pos_order o where o.id = any(?)`, [ids]));
/** is_total_cost_computed: every line's cost is computed (an order without lines: True). */
defineCompute('pos.order', 'is_total_cost_computed', (scope, ids) =>
  byId(scope, ids, `select o.id, not exists (select 1 from pos_order_line l where l.order_id = o.id and l.is_total_cost_computed is not true) as value
                      from pos_order o where o.id = any(?)`, [ids], true));
/** margin / margin_percent: the lines' margins, over the untaxed amount rounded to the currency; 0 until every cost is computed. */
const orderMargins = async (scope: Scope, ids: number[]) => {
  const { rows } = await scope.env.cr.raw(
    `select o.id, not exists (select 1 from pos_order_line l where l.order_id = o.id and l.is_total_cost_computed is not true) as computed,
            (select coalesce(sum(l.price_subtotal - coalesce(l.total_cost, 0)), 0) from pos_order_line l where l.order_id = o.id) as margin,
            (select coalesce(sum(l.price_subtotal), 0) from pos_order_line l where l.order_id = o.id) as untaxed,
            cur.rounding, cur.decimal_places
       from pos_order o left join pos_config c on c.id = o.config_id left join account_journal j on j.id = c.journal_id
       left join res_company jc on jc.id = j.company_id left join res_company cc on cc.id = c.company_id
       left join res_currency cur on cur.id = coalesce(j.currency_id, jc.currency_id, cc.currency_id)
      where o.id = any(?)`, [ids]);
  return new Map<number, { margin: number; percent: number }>(rows.map((r: { id: number; computed: boolean; margin: string; untaxed: string; rounding: string | null; decimal_places: number | null }) => {
    if (!r.computed) return [r.id, { margin: 0, percent: 0 }];
    const margin = Number(r.margin);
    const untaxed = floatRound(Number(r.untaxed), r.decimal_places ?? 2);
    const zero = Math.abs(untaxed) < Number(r.rounding ?? 0.01) / 2;
    return [r.id, { margin, percent: zero ? 0 : margin / untaxed }];
  }));
};
defineCompute('pos.order', 'margin', async (scope, ids) => new Map([...(await orderMargins(scope, ids))].map(([id, m]) => [id, m.margin])));
defineCompute('pos.order', 'margin_percent', async (scope, ids) => new Map([...(await orderMargins(scope, ids))].map(([id, m]) => [id, m.percent])));

/** pos.order.line.refunded_qty: minus the quantities of the lines refunding it. */
defineCompute('pos.order.line', 'refunded_qty', (scope, ids) =>
  byId(scope, ids, `select refunded_orderline_id as id, -sum(qty) as value from pos_order_line where refunded_orderline_id = any(?) group by refunded_orderline_id`, [ids], 0));
/** margin / margin_percent: subtotal minus cost, over the subtotal (0 when it rounds to zero in the order's currency). */
const lineMargins = (scope: Scope, ids: number[]) =>
  byId(scope, ids, `select l.id, json_build_array(l.price_subtotal - coalesce(l.total_cost, 0), l.price_subtotal, coalesce(cur.rounding, 0.01)) as value
                      from pos_order_line l join pos_order o on o.id = l.order_id left join pos_config c on c.id = o.config_id
                      left join account_journal j on j.id = c.journal_id left join res_company jc on jc.id = j.company_id
                      left join res_company cc on cc.id = c.company_id left join res_currency cur on cur.id = coalesce(j.currency_id, jc.currency_id, cc.currency_id)
                     where l.id = any(?)`, [ids]);
defineCompute('pos.order.line', 'margin', async (scope, ids) => new Map([...(await lineMargins(scope, ids))].map(([id, v]) => [id, v ? (v as number[])[0] : 0])));
defineCompute('pos.order.line', 'margin_percent', async (scope, ids) => new Map([...(await lineMargins(scope, ids))].map(([id, v]) => {
  if (!v) return [id, 0];
  const [margin, subtotal, rounding] = v as number[];
  return [id, Math.abs(subtotal) < rounding / 2 ? 0 : margin / subtotal];
})));
/**
 * tax_ids_after_fiscal_position: the order's fiscal position's map_tax of the line's taxes
 * (each tax replaced by the active destinations of its mappings, dropped when mapped to none).
 */
defineCompute('pos.order.line', 'tax_ids_after_fiscal_position', async (scope, ids) => {
  const { rows } = await scope.env.cr.raw(
    `select l.id, t.id as tax, o.fiscal_position_id as fp,
            array(select m.tax_dest_id from account_fiscal_position_tax m left join account_tax d on d.id = m.tax_dest_id
                   where m.position_id = o.fiscal_position_id and m.tax_src_id = t.id and (m.tax_dest_id is null or d.active) order by m.id) as dest,
            exists (select 1 from account_fiscal_position_tax m left join account_tax d on d.id = m.tax_dest_id
                     where m.position_id = o.fiscal_position_id and m.tax_src_id = t.id and (m.tax_dest_id is null or d.active)) as mapped
       from pos_order_line l join pos_order o on o.id = l.order_id
       join account_tax_pos_order_line_rel r on r.pos_order_line_id = l.id join account_tax t on t.id = r.account_tax_id
      where l.id = any(?)${scope.env.context.active_test === false ? '' : ' and t.active'} order by l.id, t.sequence, t.id`, [ids]);
  const out = new Map<number, unknown>(ids.map((id) => [id, [] as number[]]));
  for (const r of rows as Array<{ id: number; tax: number; fp: number | null; dest: Array<number | null>; mapped: boolean }>) {
    const list = out.get(r.id) as number[];
    const add = !r.fp || !r.mapped ? [r.tax] : r.dest.filter((d): d is number => d !== null);
    for (const t of add) if (!list.includes(t)) list.push(t);
  }
  return out;
});

/** decimal.precision of 'Product Unit of Measure'. */
async function uomDigits(scope: Scope): Promise<number> {
  const { rows } = await scope.env.cr.raw(`select digits from decimal_precision where name = 'Product Unit of Measure'`);
  return rows[0]?.digits ?? 2;
}

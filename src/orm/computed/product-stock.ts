import { defineCompute } from '../compute';
import { aggregatePer, countPer } from './helpers';
import { Scope } from '../domain';
import { userInfo } from '../user';
import { searchIds } from '../search';
import { FieldNotServed } from '../served';
import { floatRound } from '../../engine/round';
import { inGroup } from './product';
import { defineSearch } from '../search_methods';

/** stock.move.line.picking_type_id searches through its picking (picking_code is related to it). */
defineSearch('stock.move.line', 'picking_type_id', (operator, value, path) => [[path.on('picking_id.picking_type_id'), operator, value]]);

/**
 * Quantities, moves, reordering rules, valuation and sales of products (stock, stock_account,
 * sale), as Odoo 17 computes them without a location, warehouse, lot, owner, package or date in
 * the context: over the warehouses of the allowed companies, as the user (record rules apply).
 * With one of those context keys the sidecar does not compute them and says so.
 */

const STOCK_CONTEXT = ['location', 'warehouse', 'lot_id', 'owner_id', 'package_id', 'from_date', 'to_date'];
function refuseStockContext(scope: Scope, model: string, field: string) {
  if (STOCK_CONTEXT.some((k) => scope.env.context[k])) throw new FieldNotServed(model, [field]);
}

interface Quantities { qty_available: number; free_qty: number; incoming_qty: number; outgoing_qty: number; virtual_available: number }
const QUANTITY_FIELDS = ['qty_available', 'free_qty', 'incoming_qty', 'outgoing_qty', 'virtual_available'] as const;
const TODO = ['waiting', 'confirmed', 'assigned', 'partially_available'];

/** _get_domain_locations without context: under the view locations of the allowed companies' warehouses. */
async function warehousePaths(scope: Scope): Promise<string[]> {
  const user = await userInfo(scope.env);
  const warehouses = await searchIds(scope.env, 'stock.warehouse', [['company_id', 'in', user.companyIds]]);
  if (!warehouses.length) return [];
  const { rows } = await scope.env.cr.raw(
    `select distinct l.parent_path from stock_warehouse w join stock_location l on l.id = w.view_location_id where w.id = any(?) and l.parent_path is not null`, [warehouses]);
  return rows.map((r: { parent_path: string }) => r.parent_path);
}
/** One domain term (an OR in prefix notation): the field's location is under one of the paths. */
const under = (field: string, paths: string[]): unknown[] =>
  paths.length ? [...Array(paths.length - 1).fill('|'), ...paths.map((p) => [`${field}.parent_path`, '=like', `${p}%`])] : [['id', '=', 0]];

/** _compute_quantities_dict for variants (services: all 0), rounded to each product's unit. */
async function variantQuantities(scope: Scope, ids: number[]): Promise<Map<number, Quantities>> {
  const { rows } = await scope.env.cr.raw(
    `select p.id, t.type, coalesce(u.rounding, 0.01) as rounding from product_product p join product_template t on t.id = p.product_tmpl_id
       left join uom_uom u on u.id = t.uom_id where p.id = any(?)`, [ids]);
  const stored = rows.filter((r: { type: string }) => r.type !== 'service').map((r: { id: number }) => r.id);
  const paths = await warehousePaths(scope);
  const inLoc = under('location_id', paths);
  const inDest = under('location_dest_id', paths);
  // one after the other: a call's statements share its one connection
  const none = new Map<number, Record<string, number>>();
  const quants = stored.length ? await aggregatePer(scope, 'stock.quant', [['product_id', 'in', stored], ...inLoc], 'product_id', { quantity: 'sum(t.quantity)', reserved: 'sum(t.reserved_quantity)' }) : none;
  const incoming = stored.length ? await aggregatePer(scope, 'stock.move', [['state', 'in', TODO], ['product_id', 'in', stored], ...inDest, '!', ...inLoc], 'product_id', { qty: 'sum(t.product_qty)' }) : none;
  const outgoing = stored.length ? await aggregatePer(scope, 'stock.move', [['state', 'in', TODO], ['product_id', 'in', stored], ...inLoc, '!', ...inDest], 'product_id', { qty: 'sum(t.product_qty)' }) : none;
  const out = new Map<number, Quantities>();
  for (const r of rows as Array<{ id: number; type: string; rounding: string }>) {
    const round = (v: number) => floatRound(v, Number(r.rounding));
    if (r.type === 'service') {
      out.set(r.id, { qty_available: 0, free_qty: 0, incoming_qty: 0, outgoing_qty: 0, virtual_available: 0 });
      continue;
    }
    const q = quants.get(r.id) ?? { quantity: 0, reserved: 0 };
    const inQty = round(incoming.get(r.id)?.qty ?? 0);
    const outQty = round(outgoing.get(r.id)?.qty ?? 0);
    out.set(r.id, {
      qty_available: round(q.quantity),
      free_qty: round(q.quantity - q.reserved),
      incoming_qty: inQty,
      outgoing_qty: outQty,
      virtual_available: round(q.quantity + inQty - outQty),
    });
  }
  return out;
}

/** The templates' variants (as the user sees them, active_test of the call). */
async function templateVariants(scope: Scope, ids: number[], activeTest?: boolean): Promise<Map<number, number[]>> {
  const env = activeTest === false ? { ...scope.env, context: { ...scope.env.context, active_test: false } } : scope.env;
  const variants = await searchIds(env, 'product.product', [['product_tmpl_id', 'in', ids]]);
  const { rows } = await scope.env.cr.raw(`select id, product_tmpl_id from product_product where id = any(?)`, [variants]);
  const out = new Map<number, number[]>(ids.map((id) => [id, []]));
  for (const r of rows as Array<{ id: number; product_tmpl_id: number }>) out.get(r.product_tmpl_id)?.push(r.id);
  return out;
}

for (const field of QUANTITY_FIELDS) {
  defineCompute('product.product', field, async (scope, ids) => {
    refuseStockContext(scope, 'product.product', field);
    const q = await variantQuantities(scope, ids);
    return new Map(ids.map((id) => [id, q.get(id)?.[field] ?? 0]));
  });
}
/** Templates: the sum over their variants (free_qty is not a template field). */
for (const field of ['qty_available', 'incoming_qty', 'outgoing_qty', 'virtual_available'] as const) {
  defineCompute('product.template', field, async (scope, ids) => {
    refuseStockContext(scope, 'product.template', field);
    const variants = await templateVariants(scope, ids);
    const q = await variantQuantities(scope, [...new Set([...variants.values()].flat())]);
    return new Map(ids.map((id) => [id, (variants.get(id) ?? []).reduce((s, v) => s + (q.get(v)?.[field] ?? 0), 0)]));
  });
}

/** nbr_moves_in / nbr_moves_out: done move lines of receipts / deliveries in the last twelve months. */
function movesCount(code: 'incoming' | 'outgoing') {
  const since = () => {
    const d = new Date();
    d.setUTCFullYear(d.getUTCFullYear() - 1);
    return d.toISOString().replace('T', ' ').slice(0, 19);
  };
  return {
    variant: async (scope: Scope, ids: number[]) => {
      const counts = await countPer(scope, 'stock.move.line', [['product_id', 'in', ids], ['state', '=', 'done'], ['picking_code', '=', code], ['date', '>=', since()]], 'product_id');
      return new Map(ids.map((id) => [id, counts.get(id) ?? 0]));
    },
    template: async (scope: Scope, ids: number[]) => {
      const counts = await countPer(scope, 'stock.move.line', [['product_id.product_tmpl_id', 'in', ids], ['state', '=', 'done'], ['picking_code', '=', code], ['date', '>=', since()]], 'product_id');
      return perTemplate(scope, ids, counts);
    },
  };
}
async function perTemplate(scope: Scope, ids: number[], perVariant: Map<number, number>) {
  const { rows } = await scope.env.cr.raw(`select id, product_tmpl_id from product_product where id = any(?)`, [[...perVariant.keys()]]);
  const out = new Map<number, unknown>(ids.map((id) => [id, 0]));
  for (const r of rows as Array<{ id: number; product_tmpl_id: number }>) out.set(r.product_tmpl_id, Number(out.get(r.product_tmpl_id) ?? 0) + perVariant.get(r.id)!);
  return out;
}
for (const [field, code] of [['nbr_moves_in', 'incoming'], ['nbr_moves_out', 'outgoing']] as const) {
  const m = movesCount(code);
  defineCompute('product.product', field, m.variant);
  defineCompute('product.template', field, m.template);
}

/** nbr_reordering_rules, reordering_min_qty, reordering_max_qty of the variants' orderpoints. */
const orderpoints = (scope: Scope, domain: unknown[]) =>
  aggregatePer(scope, 'stock.warehouse.orderpoint', domain, 'product_id', { n: 'count(*)', min: 'sum(t.product_min_qty)', max: 'sum(t.product_max_qty)' });
for (const [field, key] of [['nbr_reordering_rules', 'n'], ['reordering_min_qty', 'min'], ['reordering_max_qty', 'max']] as const) {
  defineCompute('product.product', field, async (scope, ids) => {
    const got = await orderpoints(scope, [['product_id', 'in', ids]]);
    return new Map(ids.map((id) => [id, got.get(id)?.[key] ?? 0]));
  });
  /**
   * Templates: the count is summed over the variants, but min and max are those of the last
   * variant in product order (_compute_nbr_reordering_rules assigns instead of adding).
   */
  defineCompute('product.template', field, async (scope, ids) => {
    const got = await orderpoints(scope, [['product_id.product_tmpl_id', 'in', ids]]);
    const ordered = await searchIds({ ...scope.env, context: { ...scope.env.context, active_test: false } }, 'product.product', [['id', 'in', [...got.keys()]]]);
    const { rows } = await scope.env.cr.raw(`select id, product_tmpl_id from product_product where id = any(?)`, [ordered]);
    const tmpl = new Map<number, number>(rows.map((r: { id: number; product_tmpl_id: number }) => [r.id, r.product_tmpl_id]));
    const out = new Map<number, unknown>(ids.map((id) => [id, 0]));
    for (const v of ordered) {
      const t = tmpl.get(v)!;
      out.set(t, key === 'n' ? Number(out.get(t)) + got.get(v)!.n : got.get(v)![key]);
    }
    return out;
  });
}

/** stock_account's _compute_value_svl (compute_sudo): the layers of the current company (or none), whoever asks. */
async function valuation(scope: Scope, ids: number[]) {
  refuseStockContext(scope, 'product.product', 'value_svl');
  const sums = await aggregatePer(scope, 'stock.valuation.layer', [['company_id', 'in', [scope.companyId, false]], ['product_id', 'in', ids]], 'product_id',
    { value: 'sum(t.value)', quantity: 'sum(t.quantity)' }, { sudo: true });
  const { rows } = await scope.env.cr.raw(`select rounding from res_currency where id = (select currency_id from res_company where id = ?)`, [scope.companyId]);
  const rounding = Number(rows[0]?.rounding ?? 0.01);
  return new Map(ids.map((id) => {
    const s = sums.get(id) ?? { value: 0, quantity: 0 };
    const value = floatRound(s.value, rounding);
    return [id, { value_svl: value, quantity_svl: s.quantity, avg_cost: s.quantity ? value / s.quantity : 0 }];
  }));
}
for (const field of ['value_svl', 'quantity_svl', 'avg_cost'] as const) {
  defineCompute('product.product', field, async (scope, ids) => new Map([...(await valuation(scope, ids))].map(([id, v]) => [id, v[field]])));
}
defineCompute('product.product', 'total_value', async (scope, ids) => {
  const v = await valuation(scope, ids);
  const q = await variantQuantities(scope, ids);
  return new Map(ids.map((id) => [id, (v.get(id)?.avg_cost ?? 0) * (q.get(id)?.qty_available ?? 0)]));
});

/**
 * sales_count (sale): quantities (in the product's unit) of confirmed sale order lines of the
 * last 365 days in the allowed companies, as sale.report sums them; 0 for non-salesmen. The
 * report's record rules are applied to the orders it reports on.
 */
async function variantSales(scope: Scope, ids: number[]): Promise<Map<number, number>> {
  if (!(await inGroup(scope, 'sales_team', 'group_sale_salesman')) || !scope.reg.has('sale.order')) return new Map();
  const user = await userInfo(scope.env);
  const from = new Date(Date.now() - 365 * 86400_000).toISOString().slice(0, 10) + ' 00:00:00';
  const found = await aggregatePer(scope, 'sale.order', [['state', '=', 'sale'], ['date_order', '>=', from], ['company_id', 'in', user.companyIds]], 'id', {}, { rulesOf: 'sale.report' });
  const orders = [...found.keys()];
  if (!orders.length) return new Map();
  const { rows } = await scope.env.cr.raw(
    `select l.product_id as id, sum(l.product_uom_qty / u.factor * u2.factor) as qty from sale_order_line l
       join product_product p on p.id = l.product_id join product_template t on t.id = p.product_tmpl_id
       left join uom_uom u on u.id = l.product_uom left join uom_uom u2 on u2.id = t.uom_id
      where l.order_id = any(?) and l.product_id = any(?) and l.display_type is null group by l.product_id`, [orders, ids]);
  return new Map(rows.map((r: { id: number; qty: string }) => [r.id, Number(r.qty)]));
}
defineCompute('product.product', 'sales_count', async (scope, ids) => {
  const sales = await variantSales(scope, ids);
  return new Map(ids.map((id) => [id, sales.get(id) ?? 0]));
});
defineCompute('product.template', 'sales_count', async (scope, ids) => {
  const variants = await templateVariants(scope, ids, false);
  const sales = await variantSales(scope, [...new Set([...variants.values()].flat())]);
  const { rows } = await scope.env.cr.raw(`select t.id, coalesce(u.rounding, 0.01) as rounding from product_template t left join uom_uom u on u.id = t.uom_id where t.id = any(?)`, [ids]);
  const rounding = new Map<number, number>(rows.map((r: { id: number; rounding: string }) => [r.id, Number(r.rounding)]));
  return new Map(ids.map((id) => [id, floatRound((variants.get(id) ?? []).reduce((s, v) => s + (sales.get(v) ?? 0), 0), rounding.get(id) ?? 0.01)]));
});

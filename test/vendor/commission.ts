/**
 * vendor.commission through execute_kw (rules written by a POS manager, refused to the demo POS
 * user and the portal user, Odoo's constraints) and vendor.commission.line (the report view):
 * the figures of a set of orders built here, with competing rules and a refund, computed by hand.
 */
import { expect } from 'chai';
import { WireTarget } from '../helpers/sidecar';
import { cheapPassword } from '../helpers/ledger';
import { odooJsonRpc } from '../helpers/odoo';

/** admin and demo work in both companies; the cashier in San Francisco (1) only. */
const USERS = {
  admin: { uid: 2, password: 'vendor-admin' }, demo: { uid: 6, password: 'vendor-demo' },
  portal: { uid: 7, password: 'vendor-portal' }, cashier: { uid: 8, password: 'vendor-cashier' },
};
let seq = 900;

type Line = { product_id: number; qty: number; price_unit: number; refunded_orderline_id?: number };

/** A paid, untaxed order in the demo's open session 4 on 2026-11-22. */
function uiOrder(lines: Line[]) {
  const n = ++seq;
  const total = lines.reduce((s, l) => s + l.qty * l.price_unit, 0);
  return {
    id: `00004-888-${n}`, to_invoice: false,
    data: {
      name: `Order 00004-888-${n}`, amount_paid: total, amount_total: total, amount_tax: 0, amount_return: 0,
      lines: lines.map((l) => [0, 0, {
        qty: l.qty, price_unit: l.price_unit, price_subtotal: l.qty * l.price_unit, price_subtotal_incl: l.qty * l.price_unit, discount: 0,
        product_id: l.product_id, tax_ids: [[6, false, []]], full_product_name: 'line', price_extra: 0,
        ...(l.refunded_orderline_id ? { refunded_orderline_id: l.refunded_orderline_id } : {}),
      }]),
      statement_ids: [[0, 0, { name: '2026-11-22 10:00:00', payment_method_id: 2, amount: total }]],
      pos_session_id: 4, pricelist_id: false, partner_id: false, user_id: 2, uid: `00004-888-${n}`, sequence_number: n,
      date_order: '2026-11-22 10:00:00', fiscal_position_id: false, server_id: false, to_invoice: false,
    },
  };
}

export function itRunsVendorCommission(target: () => WireTarget): void {
  const kw = (user: keyof typeof USERS, model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) =>
    odooJsonRpc(target().url, 'object', 'execute_kw', [target().db, USERS[user].uid, USERS[user].password, model, method, args, kwargs]);
  const db = () => target().knex;
  const refused = (p: Promise<unknown>) => p.then(() => expect.fail('not refused'), (e: Error) => e.message);
  let v1: number;
  let v2: number;

  before(async () => {
    for (const [login, u] of Object.entries(USERS)) await cheapPassword(db(), login, u.password);
    v1 = (await kw('admin', 'res.partner', 'create', [{ name: 'Vendor One' }])) as number;
    v2 = (await kw('admin', 'res.partner', 'create', [{ name: 'Vendor Two' }])) as number;
  });

  it('a POS manager creates, writes and deletes rules; the demo POS user reads them only, the portal user not at all', async () => {
    const id = (await kw('admin', 'vendor.commission', 'create', [{ vendor_id: v1, value: 7 }])) as number;
    const [row] = (await kw('admin', 'vendor.commission', 'read', [[id]], { fields: ['vendor_id', 'categ_id', 'commission_type', 'value', 'active', 'company_id', 'date_from', 'create_uid'] })) as Array<Record<string, unknown>>;
    expect(row).to.deep.equal({
      id, vendor_id: [v1, 'Vendor One'], categ_id: false, commission_type: 'percentage', value: 7, active: true,
      company_id: [1, 'My Company (San Francisco)'], date_from: false, create_uid: [2, 'Mitchell Admin'],
    });
    expect(await kw('admin', 'vendor.commission', 'write', [[id], { value: 8, date_from: '2026-01-01' }])).to.equal(true);
    expect(await kw('demo', 'vendor.commission', 'search_read', [[['id', '=', id]]], { fields: ['value'] })).to.deep.equal([{ id, value: 8 }]);
    expect(await refused(kw('demo', 'vendor.commission', 'write', [[id], { value: 9 }]))).to.equal("odoo.exceptions.AccessError: You are not allowed to modify 'Vendor Commission' (vendor.commission) records.\n\n"
      + 'This operation is allowed for the following groups:\n\t- Administration/Settings\n\t- Point of Sale/Administrator\n\nContact your administrator to request access if necessary.');
    expect(await refused(kw('demo', 'vendor.commission', 'create', [{ vendor_id: v1, value: 1 }]))).to.match(/^odoo\.exceptions\.AccessError/);
    expect(await refused(kw('demo', 'vendor.commission', 'unlink', [[id]]))).to.match(/^odoo\.exceptions\.AccessError/);
    expect(await refused(kw('portal', 'vendor.commission', 'search_read', [[]], { fields: ['value'] }))).to.match(/^odoo\.exceptions\.AccessError/);
    expect(await refused(kw('portal', 'vendor.commission.line', 'search_read', [[]], { fields: ['commission_amount'] }))).to.match(/^odoo\.exceptions\.AccessError/);
    expect(await refused(kw('admin', 'vendor.commission.line', 'create', [{ qty: 1 }]))).to.match(/^odoo\.exceptions\.AccessError/);
    expect(Number((await db()('vendor_commission').where({ id }).first('value')).value)).to.equal(8);
    expect(await kw('admin', 'vendor.commission', 'unlink', [[id]])).to.equal(true);
    expect(await db()('vendor_commission').where({ id }).first()).to.equal(undefined);
  });

  it('refuses a negative value, a percentage over 100 and a period that ends before it starts: ValidationError, nothing written', async () => {
    const before = Number((await db()('vendor_commission').count('* as n'))[0].n);
    expect(await refused(kw('admin', 'vendor.commission', 'create', [{ vendor_id: v1, value: -1 }])))
      .to.equal('odoo.exceptions.ValidationError: A commission cannot be negative.');
    expect(await refused(kw('admin', 'vendor.commission', 'create', [{ vendor_id: v1, commission_type: 'percentage', value: 100.5 }])))
      .to.equal('odoo.exceptions.ValidationError: A percentage commission cannot be more than 100%.');
    expect(await refused(kw('admin', 'vendor.commission', 'create', [{ vendor_id: v1, commission_type: 'fixed', value: 150, date_from: '2026-02-01', date_to: '2026-01-31' }])))
      .to.match(/^odoo\.exceptions\.ValidationError: The commission ends before it starts/);
    const ok = (await kw('admin', 'vendor.commission', 'create', [{ vendor_id: v1, commission_type: 'fixed', value: 150, date_from: '2026-02-01', date_to: '2026-02-01' }])) as number;
    expect(await refused(kw('admin', 'vendor.commission', 'write', [[ok], { commission_type: 'percentage' }]))).to.match(/more than 100%/);
    await kw('admin', 'vendor.commission', 'unlink', [[ok]]);
    expect(Number((await db()('vendor_commission').count('* as n'))[0].n)).to.equal(before);
  });

  it('gives each paid line its vendor, the most specific valid rule and its commission; refunds negate; read_group sums per vendor and month', async () => {
    // Categories of the dump: All(1) > Saleable(2) > Office Furniture(8), Saleable(2) > Services(5) > Saleable(6), Saleable(2) > Software(7).
    const product = async (name: string, categ: number) => (await kw('admin', 'product.product', 'create', [{ name, categ_id: categ }])) as number;
    const a = await product('Desk A', 8);
    const b = await product('Service B', 6);
    const c = await product('Software C', 7);
    const d = await product('Unsupplied D', 8);
    const supplier = async (productId: number, partner: number, sequence: number) => {
      const tmpl = (await db()('product_product').where({ id: productId }).first('product_tmpl_id')).product_tmpl_id;
      await db()('product_supplierinfo').insert({ partner_id: partner, product_tmpl_id: tmpl, sequence, company_id: null, currency_id: 1, delay: 1, min_qty: 0, price: 0 });
    };
    await supplier(a, v2, 2);
    await supplier(a, v1, 1); // lowest sequence: V1 is A's main supplier
    await supplier(b, v1, 1);
    await supplier(c, v2, 5);
    await supplier(c, v1, 5); // same sequence: the lower id (V2) wins
    const rule = (vals: Record<string, unknown>) => kw('admin', 'vendor.commission', 'create', [vals]) as Promise<number>;
    await rule({ vendor_id: v1, commission_type: 'percentage', value: 5 }); // every category
    await rule({ vendor_id: v1, categ_id: 2, commission_type: 'percentage', value: 10 }); // a far parent
    const r3 = await rule({ vendor_id: v1, categ_id: 8, commission_type: 'percentage', value: 20, date_from: '2026-11-01' });
    await rule({ vendor_id: v1, categ_id: 8, commission_type: 'percentage', value: 25, date_from: '2026-10-01' }); // older: loses the tie
    await rule({ vendor_id: v1, categ_id: 8, commission_type: 'fixed', value: 3, active: false }); // archived
    await rule({ vendor_id: v1, categ_id: 8, commission_type: 'percentage', value: 30, date_to: '2026-11-21' }); // ended the day before
    const r6 = await rule({ vendor_id: v1, categ_id: 5, commission_type: 'fixed', value: 2, date_to: '2026-11-30' }); // the nearest parent of 6
    await rule({ vendor_id: v1, categ_id: 6, commission_type: 'fixed', value: 9, date_from: '2026-12-01' }); // not yet valid
    const r8 = await rule({ vendor_id: v2, commission_type: 'fixed', value: 1.5 });
    await rule({ vendor_id: v2, commission_type: 'fixed', value: 4, company_id: 2 }); // another company's

    const create = async (lines: Line[]) => ((await kw('admin', 'pos.order', 'create_from_ui', [[uiOrder(lines)], false])) as Array<{ id: number }>)[0].id;
    const o1 = await create([{ product_id: a, qty: 2, price_unit: 100 }, { product_id: b, qty: 3, price_unit: 10 }, { product_id: c, qty: 1, price_unit: 50 }, { product_id: d, qty: 1, price_unit: 20 }]);
    const o2 = await create([{ product_id: a, qty: 1, price_unit: 100 }]);
    const aLine = (await db()('pos_order_line').where({ order_id: o1, product_id: a }).first('id')).id;
    const refund = await create([{ product_id: a, qty: -1, price_unit: 100, refunded_orderline_id: aLine }]);
    const draft = ((await kw('admin', 'pos.order', 'create_from_ui', [[uiOrder([{ product_id: a, qty: 5, price_unit: 100 }])], true])) as Array<{ id: number }>)[0].id;

    const lines = (await kw('demo', 'vendor.commission.line', 'search_read', [[['order_id', 'in', [o1, o2, refund, draft]]]],
      { fields: ['order_id', 'product_id', 'vendor_id', 'rule_id', 'base_amount', 'qty', 'commission_amount'], order: 'id' })) as Array<Record<string, any>>;
    const m2o = (v: unknown) => (Array.isArray(v) ? v[0] : v);
    expect(lines.map((l) => [m2o(l.order_id), m2o(l.product_id), m2o(l.vendor_id), m2o(l.rule_id), l.base_amount, l.qty, l.commission_amount])).to.deep.equal([
      [o1, a, v1, r3, 200, 2, 40], // 20% of 200
      [o1, b, v1, r6, 30, 3, 6], // 2 per unit × 3
      [o1, c, v2, r8, 50, 1, 1.5], // 1.5 per unit × 1
      [o1, d, false, false, 20, 1, 0], // no supplier
      [o2, a, v1, r3, 100, 1, 20],
      [refund, a, v1, r3, -100, -1, -20], // the refund negates
    ]);
    // Record rules: the cashier works in San Francisco only, and sees neither Chicago's rule nor lines of another company.
    const chicago = (await kw('admin', 'vendor.commission', 'search', [[['vendor_id', '=', v2], ['company_id', '=', 2]]], { context: { allowed_company_ids: [1, 2] } })) as number[];
    expect(chicago).to.have.length(1);
    expect(await kw('cashier', 'vendor.commission', 'search', [[['vendor_id', '=', v2]]])).to.deep.equal([r8]);
    expect(await refused(kw('cashier', 'vendor.commission', 'read', [chicago], { fields: ['value'] }))).to.match(/^odoo\.exceptions\.AccessError/);
    expect(await kw('cashier', 'vendor.commission.line', 'search_count', [[['order_id', 'in', [o1, o2, refund]]]])).to.equal(6);
    await db()('pos_order').where({ id: o2 }).update({ company_id: 2 });
    expect(await kw('cashier', 'vendor.commission.line', 'search_count', [[['order_id', 'in', [o1, o2, refund]]]])).to.equal(5);
    await db()('pos_order').where({ id: o2 }).update({ company_id: 1 });

    const groups = (await kw('demo', 'vendor.commission.line', 'read_group', [[['order_id', 'in', [o1, o2, refund]], ['vendor_id', '!=', false]], ['commission_amount:sum', 'base_amount:sum'], ['vendor_id', 'date:month']],
      { lazy: false, orderby: 'vendor_id' })) as Array<Record<string, any>>;
    expect(groups.map((g) => [m2o(g.vendor_id), g['date:month'], g.__count, g.commission_amount, g.base_amount])).to.deep.equal([
      [v1, 'November 2026', 4, 46, 230], // 40 + 6 + 20 - 20; 200 + 30 + 100 - 100
      [v2, 'November 2026', 1, 1.5, 50],
    ]);
  });
}

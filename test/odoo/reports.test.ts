/**
 * The bridge addon's reporting in a real Odoo 17: its models over the sidecar's reporting views
 * (migrations 0220, 0222), the vendor.commission model over the sidecar's table, and the QWeb PDF
 * reports Odoo renders (wkhtmltopdf), read back with pdftotext. One database and one Odoo server
 * for the whole file: the sidecar migrates the dump, the addon installs on it, the test builds
 * its orders through the sidecar's create_from_ui, then Odoo prints.
 *
 * The data, all sold today (UTC) in the dump's open session 4, tax 15% included in the totals:
 * two new customers N1 and N2, both referred by Willie Burke (16); a vendor V, main supplier of
 * the Office Chair (product 5, category 8, 70) and of the Office Design Software (product 7,
 * category 7, 280), with two commission rules: 2 per unit on category 8, 10% on every category.
 *   A: N1, 2 × chair (161, code of 16)   B: N2, 1 × chair (80.5, code of 16)
 *   C: N1, 1 × chair (80.5)              D: N2, 1 × software (322)
 * Retail Club (15) gives 1 point per unit of currency (its other rules do not apply to these
 * products), valid 30 days; a referral program (a copy of 15 without rules, 50 points) gives
 * Willie 50 points for each referred customer's first order (A and B). N1 then redeems 100
 * points outside an order (the ledger's REST API).
 */
import { expect } from 'chai';
import { refreshRegistry } from '../../src/orm/registry';
import { issueReferralCodes } from '../../src/models/referral-code';
import { describeOdoo, freshOdooDatabase, installModules, OdooDatabase, OdooServer, startOdoo } from '../helpers/odoo';
import { AttachedSidecar, odooProblems, sidecarColumns, tillOrder } from '../helpers/bridge';
import { basicAuth } from '../helpers/ledger';
import { odooSession, pdfText, reportPdf, unpatchedQtNotice } from '../helpers/odoo-pdf';

const REFERRER = 16;
const CHAIR = 5;
const SOFTWARE = 7;

/** What the view models and the table hold in PostgreSQL: compared before and after Odoo installs the addon. */
const RELATIONS = ['vendor_commission', 'vendor_commission_line', 'promotion_result', 'promotion_result_details', 'pos_order_first'];

describeOdoo('bridge addon reports in a real Odoo 17 (models over the views, QWeb PDF)', function () {
  let database: OdooDatabase;
  let sidecar: AttachedSidecar;
  let odoo: OdooServer;
  let admin: string;
  const today = new Date().toISOString().slice(0, 10);
  /** A date as Odoo prints it for an en_US user. */
  const printed = (iso: string) => `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;
  const inDays = (n: number) => new Date(Date.parse(today) + n * 86_400_000).toISOString().slice(0, 10);
  const sql = async <T = Record<string, unknown>>(text: string, params: Array<string | number> = []) => (await sidecar.knex.raw(text, params)).rows as T[];
  // pg_attribute rather than information_schema: it lists a materialized view's columns too.
  const relationColumns = async () => (await sql<{ c: string }>(`
    select c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || case when a.attnotnull then ' not null' else '' end
           || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '') as c
      from pg_attribute a join pg_class c on c.oid = a.attrelid
      left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
     where c.relname = any(?) and a.attnum > 0 and not a.attisdropped order by 1`, [RELATIONS as unknown as string])).map((r) => r.c);
  const vendorKeys = async () => sql(`select conname, pg_get_constraintdef(oid) as def from pg_constraint where conrelid = 'vendor_commission'::regclass order by 1`);
  let n1: number, n2: number, vendor: number, referral: number;
  let orders: Record<'A' | 'B' | 'C' | 'D', number>;
  let rules: { perUnit: number; percent: number };

  /** Sells through the sidecar's RPC as the till does: the order, then its points (processed once). */
  const sell = async (partner: number, product: number, qty: number, price: number, code?: string) => {
    const order = tillOrder(partner, [{ product_id: product, qty, price_unit: price }]);
    if (code) Object.assign(order.data, { referral_code_used: code });
    const [{ id }] = await sidecar.call<Array<{ id: number }>>('pos.order', 'create_from_ui', [[order], false]);
    await sidecar.call('pos.order', 'confirm_coupon_programs', [[id], {}]);
    return id;
  };

  before(async () => {
    database = await freshOdooDatabase();
    sidecar = await AttachedSidecar.start(database.url);
  });
  after(async () => {
    await odoo?.stop();
    await sidecar?.stop();
    await database?.drop();
  });

  it('installs on the migrated database with no warning and no column changed (the views and vendor_commission included)', async () => {
    const columns = await sidecarColumns(sidecar.knex);
    expect(columns).to.include('loyalty_program.referral_points float8 nullable=YES default=-');
    const relations = await relationColumns();
    const keys = await vendorKeys();
    expect(relations).to.include.members(['vendor_commission.value numeric not null', 'promotion_result.revenue numeric', 'vendor_commission_line.commission_amount numeric']);
    const installed = await installModules(database.name, 'loyalty_sidecar_bridge');
    expect(odooProblems(installed.output), 'odoo-bin -i').to.deep.equal([]);
    const upgraded = await installModules(database.name, 'loyalty_sidecar_bridge', { update: true });
    expect(odooProblems(upgraded.output), 'odoo-bin -u').to.deep.equal([]);
    expect(await sidecarColumns(sidecar.knex)).to.deep.equal(columns);
    expect(await relationColumns()).to.deep.equal(relations);
    expect(await vendorKeys()).to.deep.equal(keys);
    process.stderr.write(`      install ${installed.ms} ms, upgrade ${upgraded.ms} ms\n`);
    // Odoo created no table nor view of its own for the report models.
    expect(await sql(`select relname from pg_class where relname like 'loyalty_sidecar_bridge%'`)).to.deep.equal([]);

    odoo = await startOdoo(database.name);
    odoo.mark();
    // wkhtmltopdf fetches the report's assets from this server.
    await odoo.call('ir.config_parameter', 'set_param', ['report.url', odoo.url]);
    admin = await odooSession(odoo, 'admin', 'admin');
    // Debian's wkhtmltopdf (unpatched Qt) draws web fonts (the layouts' Lato) as outlines, which
    // pdftotext cannot read: the PDFs here are printed in a system font (a customization of
    // the PDF layout, as a retailer's would be), and Qt's warnings about the switches it
    // ignores are not the addon's.
    const [layout] = await odoo.call<Array<{ id: number }>>('ir.ui.view', 'search_read', [[['key', '=', 'web.minimal_layout']]], { fields: ['id'] });
    await odoo.call('ir.ui.view', 'create', [{
      name: 'test: PDF text in a system font', type: 'qweb', inherit_id: layout.id, mode: 'extension',
      arch_db: '<xpath expr="//head" position="inside"><style>* { font-family: "DejaVu Sans", sans-serif !important; }</style></xpath>',
    }]);
  });

  it('builds the data: customers, codes, programs, a vendor and its rules through Odoo; orders through the sidecar', async () => {
    [n1, n2, vendor] = await Promise.all(['Report Customer One', 'Report Customer Two', 'Report Vendor'].map((name) => odoo.call<number>('res.partner', 'create', [{ name }])));
    await issueReferralCodes(sidecar.knex, 'missing');
    await odoo.call('loyalty.program', 'write', [[15], { points_validity_days: 30 }]);
    // The referral program: Retail Club's row without its rules (it earns nothing by itself).
    [{ id: referral }] = await sql<{ id: number }>(`
      insert into loyalty_program (name, program_type, company_id, currency_id, active, pos_ok, sale_ok, applies_on, trigger, portal_visible, portal_point_name, create_uid, create_date, write_uid, write_date)
      select '{"en_US": "Report Referrals"}'::jsonb, program_type, company_id, currency_id, true, pos_ok, sale_ok, applies_on, trigger, portal_visible, portal_point_name, 1, now(), 1, now()
        from loyalty_program where id = 15 returning id`);
    await odoo.call('loyalty.program', 'write', [[referral], { referral_points: 50 }]);
    for (const product of [CHAIR, SOFTWARE]) {
      const [{ product_tmpl_id }] = await odoo.call<Array<{ product_tmpl_id: [number, string] }>>('product.product', 'read', [[product]], { fields: ['product_tmpl_id'] });
      // Sequence 0: ahead of the chair's suppliers in the dump (sequence 1), V is its main supplier.
      await odoo.call('product.supplierinfo', 'create', [{ partner_id: vendor, product_tmpl_id: product_tmpl_id[0], price: 1, sequence: 0 }]);
    }
    rules = {
      perUnit: await odoo.call<number>('vendor.commission', 'create', [{ vendor_id: vendor, categ_id: 8, commission_type: 'fixed', value: 2, date_from: inDays(-1) }]),
      percent: await odoo.call<number>('vendor.commission', 'create', [{ vendor_id: vendor, commission_type: 'percentage', value: 10 }]),
    };
    const [{ referral_code: code }] = await sql<{ referral_code: string }>('select referral_code from res_partner where id = ?', [REFERRER]);
    orders = {
      A: await sell(n1, CHAIR, 2, 70, code),
      B: await sell(n2, CHAIR, 1, 70, code),
      C: await sell(n1, CHAIR, 1, 70),
      D: await sell(n2, SOFTWARE, 1, 280),
    };
    expect(await sql('select id, amount_total::float8 as total from pos_order where id = any(?) order by id', [Object.values(orders) as unknown as string]))
      .to.deep.equal([{ id: orders.A, total: 161 }, { id: orders.B, total: 80.5 }, { id: orders.C, total: 80.5 }, { id: orders.D, total: 322 }]);
    // N1 spends 100 of its Retail Club points outside an order (the ledger's REST API): lots are drawn oldest first.
    const [{ id: card }] = await sql<{ id: number }>('select id from loyalty_card where partner_id = ? and program_id = 15', [n1]);
    const redeemed = await fetch(`${sidecar.url}/api/v1/points/redeem`, {
      method: 'POST', headers: { authorization: basicAuth('admin', 'admin'), 'content-type': 'application/json' },
      body: JSON.stringify({ card_id: card, points: 100, reference: 'REPORT-GIFT' }),
    });
    expect(redeemed.status).to.equal(201);
    // promotion_result is materialized: the sidecar's report job refreshes it (here through its signed hook, as Odoo's cron would).
    expect((await sidecar.hook('job', { job: 'report-refresh', uid: 2 })).body).to.deep.include({ state: 'done' });
  });

  it('Odoo reads the report models with the sidecar\'s figures; a POS user reads them, create/write refused', async () => {
    // A program's rows of a day: one per point of sale, and one without (cards created outside an order).
    const rows = await odoo.call<Array<Record<string, unknown>>>('promotion.result', 'read_group', [[['date', '=', today], ['program_id', 'in', [15, referral]]],
      ['order_count:sum', 'customer_count:sum', 'revenue:sum', 'discount_amount:sum', 'points_issued:sum', 'points_redeemed:sum', 'new_cards:sum'], ['program_id']], { orderby: 'program_id', lazy: false });
    expect(rows.map(({ __domain: _d, __count: _c, ...r }) => r)).to.deep.equal([
      { program_id: [15, 'Retail Club'], order_count: 4, customer_count: 2, revenue: 644, discount_amount: 0, points_issued: 644, points_redeemed: 100, new_cards: 2 },
      { program_id: [referral, 'Report Referrals'], order_count: 2, customer_count: 2, revenue: 241.5, discount_amount: 0, points_issued: 100, points_redeemed: 0, new_cards: 1 },
    ]);
    const firsts = await odoo.call<Array<Record<string, unknown>>>('pos.order.first', 'search_read', [[['referrer_id', '=', REFERRER]]], { fields: ['partner_id', 'order_id', 'amount_total'], order: 'partner_id' });
    expect(firsts.map((f) => [(f.partner_id as [number])[0], (f.order_id as [number])[0], f.amount_total])).to.deep.equal([[n1, orders.A, 161], [n2, orders.B, 80.5]]);
    const [grouped] = await odoo.call<Array<Record<string, unknown>>>('vendor.commission.line', 'read_group', [[['vendor_id', '=', vendor], ['order_id', 'in', Object.values(orders)]], ['commission_amount:sum', 'base_amount:sum'], ['vendor_id']]);
    expect(grouped).to.deep.include({ commission_amount: 36, base_amount: 560, vendor_id_count: 4 });
    const details = await odoo.call<Array<{ points_won: number }>>('promotion.result.details', 'search_read', [[['order_id', '=', orders.D], ['program_id', '=', 15]]], { fields: ['points_won'] });
    expect(details.map((d) => d.points_won)).to.deep.equal([322]);

    const cashier = { login: 'cashier', password: 'cashier' };
    // Retail Club's rows of the day: the till's (config 1) and the redeem outside an order (no config).
    expect(await odoo.call('promotion.result', 'search_count', [[['program_id', '=', 15], ['date', '=', today]]], {}, cashier)).to.equal(2);
    const refused = (p: Promise<unknown>) => p.then(() => 'accepted', (e: Error) => e.message);
    expect(await refused(odoo.call('vendor.commission', 'create', [{ vendor_id: vendor, commission_type: 'fixed', value: 1 }], {}, cashier))).to.match(/AccessError/);
    expect(await refused(odoo.call('promotion.result', 'create', [{ order_count: 1 }]))).to.match(/Error/);
    expect(await refused(odoo.call('vendor.commission', 'create', [{ vendor_id: vendor, commission_type: 'percentage', value: 150 }]))).to.match(/ValidationError: A percentage commission cannot exceed 100/);
    expect(await refused(odoo.call('vendor.commission', 'write', [[rules.percent], { date_from: today, date_to: inDays(-3) }]))).to.match(/ValidationError: A commission rule cannot end before it starts/);
    // Multi-company: a rule of company 2 (Chicago) is admin's to read, not the cashier's (San Francisco only).
    const chicago = await odoo.call<number>('vendor.commission', 'create', [{ vendor_id: vendor, commission_type: 'fixed', value: 1, company_id: 2 }], { context: { allowed_company_ids: [1, 2] } });
    const ids = (rows: Array<{ id: number }>) => rows.map((r) => r.id);
    expect(ids(await odoo.call('vendor.commission', 'search_read', [[['vendor_id', '=', vendor]]], { fields: ['id'], order: 'id', context: { allowed_company_ids: [1, 2] } })))
      .to.deep.equal([rules.perUnit, rules.percent, chicago]);
    expect(ids(await odoo.call('vendor.commission', 'search_read', [[['vendor_id', '=', vendor]]], { fields: ['id'], order: 'id' }, cashier))).to.deep.equal([rules.perUnit, rules.percent]);
    // Odoo logs the refused access (a warning of its own): not a problem of the addon.
    odoo.mark();
  });

  it('every report model, and vendor.commission, reads the same through Odoo as through the sidecar', async () => {
    await refreshRegistry(sidecar.running!.ctx);
    const reads: Array<[string, unknown[], string[]]> = [
      ['promotion.result', [['program_id', 'in', [15, referral]], ['date', '=', today]],
        ['program_id', 'date', 'company_id', 'config_id', 'order_count', 'customer_count', 'revenue', 'discount_amount', 'points_issued', 'points_redeemed', 'points_expired', 'new_cards', 'refreshed_at']],
      ['promotion.result.details', [['order_id', 'in', Object.values(orders)]],
        ['order_id', 'line_id', 'date', 'partner_id', 'program_id', 'reward_id', 'company_id', 'config_id', 'discount_amount', 'points_won', 'points_spent']],
      ['pos.order.first', [['partner_id', 'in', [n1, n2]]], ['partner_id', 'order_id', 'date_order', 'company_id', 'config_id', 'amount_total', 'referral_code_used', 'referrer_id']],
      ['vendor.commission', [['vendor_id', '=', vendor]], ['vendor_id', 'categ_id', 'commission_type', 'value', 'date_from', 'date_to', 'active', 'company_id', 'create_uid']],
      ['vendor.commission.line', [['vendor_id', '=', vendor]], ['order_id', 'line_id', 'date', 'vendor_id', 'product_id', 'categ_id', 'company_id', 'rule_id', 'base_amount', 'qty', 'commission_amount']],
    ];
    for (const [model, domain, fields] of reads) {
      const viaOdoo = await odoo.call<unknown[]>(model, 'search_read', [domain], { fields, order: 'id' });
      expect(viaOdoo.length, model).to.be.greaterThan(0);
      expect(await sidecar.call(model, 'search_read', [domain], { fields, order: 'id' }), model).to.deep.equal(viaOdoo);
    }
    const sums = ['order_count:sum', 'revenue:sum', 'points_issued:sum', 'new_cards:sum'];
    const grouped = [[['program_id', 'in', [15, referral]]], sums, ['program_id', 'date:day']];
    expect(await sidecar.call('promotion.result', 'read_group', grouped, { lazy: false }))
      .to.deep.equal(await odoo.call('promotion.result', 'read_group', grouped, { lazy: false }));
  });

  it('prints the promotion result of a program over the period chosen in the wizard, and of another over the default 30 days', async () => {
    // One record per PDF: Debian's wkhtmltopdf (unpatched Qt) cannot print several documents into one.
    const [wizard] = await odoo.call<number[]>('promotion.result.print', 'create', [[{ program_ids: [[6, 0, [15]]], date_from: today, date_to: today }]]);
    const action = await odoo.call<{ report_name: string; data: Record<string, unknown>; context: { active_ids: number[] } }>('promotion.result.print', 'action_print', [[wizard]]);
    expect(action.report_name).to.equal('loyalty_sidecar_bridge.report_promotion_result');
    expect(action.data).to.deep.equal({ date_from: today, date_to: today });
    expect(action.context.active_ids).to.deep.equal([15]);
    const club = await pdfText(await reportPdf(odoo, admin, action.report_name, action.context.active_ids, action.data));
    expect(club).to.contain('Promotion Result: Retail Club');
    expect(club).to.contain(`Period: ${printed(today)} to ${printed(today)}`);
    for (const line of ['Orders 4', 'Customers 2', 'Revenue $ 644.00', 'Discount given $ 0.00', 'Points issued 644.00', 'Points redeemed 100.00', 'New cards 2']) expect(club).to.contain(line);
    expect(club).to.contain(`${printed(today)} 4 $ 644.00 $ 0.00 644.00 100.00 0.00 2`);

    // A cashier (POS user) prints it too; a portal user reads none of it.
    const cashierText = await pdfText(await reportPdf(odoo, await odooSession(odoo, 'cashier', 'cashier'), action.report_name, [15], action.data));
    for (const line of ['Promotion Result: Retail Club', 'Orders 4', 'Revenue $ 644.00', 'Points issued 644.00']) expect(cashierText).to.contain(line);
    const portal = await odoo.call('promotion.result', 'search_read', [[]], { fields: ['revenue'] }, { login: 'portal', password: 'portal' }).then(() => 'read', (e: Error) => e.message);
    expect(portal).to.match(/AccessError/);
    odoo.mark(); // Odoo logs the refusal (a warning of its own).

    const referrals = await pdfText(await reportPdf(odoo, admin, action.report_name, [referral]));
    expect(referrals).to.contain('Promotion Result: Report Referrals');
    expect(referrals).to.contain(`Period: ${printed(inDays(-29))} to ${printed(today)}`);
    for (const line of ['Orders 2', 'Customers 2', 'Revenue $ 241.50', 'Points issued 100.00', 'New cards 1']) expect(referrals).to.contain(line);
    expect(odooProblems(odoo.log()).filter((l) => !unpatchedQtNotice(l))).to.deep.equal([]);
  });

  it('prints the referral codes of the referrer and of a referred customer', async () => {
    const [{ referral_code: code }] = await sql<{ referral_code: string }>('select referral_code from res_partner where id = ?', [REFERRER]);
    const willie = await pdfText(await reportPdf(odoo, admin, 'loyalty_sidecar_bridge.report_referral_codes', [REFERRER]));
    const one = await pdfText(await reportPdf(odoo, admin, 'loyalty_sidecar_bridge.report_referral_codes', [n1]));
    expect(willie).to.contain(`Code ${code}`);
    expect(willie).to.contain('Uses (paid orders with this code) 2');
    expect(willie).to.contain('First orders brought 2');
    expect(willie).to.match(new RegExp(`Report Customer One .*${printed(today)} \\$ 161\\.00`));
    expect(willie).to.match(new RegExp(`Report Customer Two .*${printed(today)} \\$ 80\\.50`));
    expect(one).to.contain('Referral Code: Report Customer One');
    expect(one).to.match(/Referred by .*Willie Burke/);
    expect(one).to.contain('Uses (paid orders with this code) 0');
    expect(odooProblems(odoo.log()).filter((l) => !unpatchedQtNotice(l))).to.deep.equal([]);
  });

  it('prints a card\'s loyalty statement: balance, moves, next expiry', async () => {
    const [card] = await odoo.call<Array<{ id: number; code: string }>>('loyalty.card', 'search_read', [[['partner_id', '=', n1], ['program_id', '=', 15]]], { fields: ['code'] });
    const text = await pdfText(await reportPdf(odoo, admin, 'loyalty_sidecar_bridge.report_loyalty_card_statement', [card.id]));
    expect(text).to.contain(`Loyalty Statement: ${card.code}`);
    expect(text).to.contain('Balance 141.50 points');
    // Both lots expire in 30 days: 161 - 100 and 80.5 left.
    expect(text).to.contain(`Next expiry 141.50 points on ${printed(inDays(30))}`);
    const moves = text.split('Valid until')[1].trim().split('\n').filter((l) => /Earned|Redeemed|Expired|Refund|Adjust|Opening/.test(l));
    const references = (await odoo.call<Array<{ reference: string }>>('loyalty.point.move', 'search_read', [[['card_id', '=', card.id]]], { fields: ['reference'], order: 'id' })).map((m) => m.reference);
    expect(moves.map((l) => l.trim())).to.deep.equal([
      `${printed(today)} Earned 161.00 ${references[0]} ${printed(inDays(30))}`,
      `${printed(today)} Earned 80.50 ${references[1]} ${printed(inDays(30))}`,
      `${printed(today)} Redeemed -100.00 REPORT-GIFT`,
    ]);
    expect(odooProblems(odoo.log()).filter((l) => !unpatchedQtNotice(l))).to.deep.equal([]);
  });

  it('prints a vendor\'s commission statement: lines, totals per rule and category, total', async () => {
    const [wizard] = await odoo.call<number[]>('vendor.commission.print', 'create', [[{ vendor_ids: [[6, 0, [vendor]]], date_from: inDays(-2), date_to: today }]]);
    const action = await odoo.call<{ report_name: string; data: Record<string, unknown>; context: { active_ids: number[] } }>('vendor.commission.print', 'action_print', [[wizard]]);
    const text = await pdfText(await reportPdf(odoo, admin, action.report_name, action.context.active_ids, action.data));
    expect(text).to.contain('Commission Statement: Report Vendor');
    expect(text).to.contain(`Period: ${printed(inDays(-2))} to ${printed(today)}`);
    expect(text).to.contain('2 / unit on All / Saleable / Office Furniture All / Saleable / Office Furniture 4.00 $ 280.00 $ 8.00');
    expect(text).to.contain('10% on all categories All / Saleable / Software 1.00 $ 280.00 $ 28.00');
    expect(text).to.contain('Total commission: $ 36.00 on $ 560.00 of sales');
    const lines = text.split('\n').filter((l) => l.startsWith(printed(today)));
    expect(lines.map((l) => l.replace(/^\S+ \S+ /, '').trim())).to.deep.equal([
      '[FURN_7777] Office Chair 2.00 $ 140.00 $ 4.00',
      '[FURN_7777] Office Chair 1.00 $ 70.00 $ 2.00',
      '[FURN_7777] Office Chair 1.00 $ 70.00 $ 2.00',
      '[FURN_9999] Office Design Software 1.00 $ 280.00 $ 28.00',
    ]);
    expect(odooProblems(odoo.log()).filter((l) => !unpatchedQtNotice(l))).to.deep.equal([]);
  });

  it('uninstalled, it keeps the sidecar\'s vendor_commission table, its rules and the reporting views', async () => {
    const rules = await sql('select * from vendor_commission order by id');
    const relations = await relationColumns();
    const [module] = await odoo.call<Array<{ id: number }>>('ir.module.module', 'search_read', [[['name', '=', 'loyalty_sidecar_bridge']]], { fields: ['id'] });
    odoo.mark();
    await odoo.call('ir.module.module', 'button_immediate_uninstall', [[module.id]]);
    expect(odooProblems(odoo.log()).filter((l) => !unpatchedQtNotice(l))).to.deep.equal([]);
    expect(await sql('select * from vendor_commission order by id')).to.deep.equal(rules);
    expect(await relationColumns()).to.deep.equal(relations);
    await refreshRegistry(sidecar.running!.ctx);
    expect((await sidecar.call<unknown[]>('vendor.commission', 'search_read', [[['vendor_id', '=', vendor]]], { fields: ['value'] })).length).to.equal(3);
  });
});

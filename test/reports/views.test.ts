import { expect } from 'chai';
import { Knex } from 'knex';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { cheapPassword } from '../helpers/ledger';
import { runJob } from '../../src/jobs/scheduler';
import { buildFixture, DAY, EXPIRED_ON, Fixture } from './fixture';

type Row = Record<string, unknown>;
const m2o = (v: unknown) => (Array.isArray(v) ? v[0] : v);

describe('reports: promotion_result, promotion_result_details, pos_order_first through execute_kw', function () {
  this.timeout(60_000);
  let sidecar: TestSidecar;
  let db: Knex;
  let fx: Fixture;

  /** execute_kw over JSON-RPC as a login; the answer's result, or its error's name and message. */
  const as = (login: string, uid: number) => async (model: string, method: string, args: unknown[], kwargs: Row = {}) => {
    const res = await fetch(sidecar.url + '/jsonrpc', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { service: 'object', method: 'execute_kw', args: [sidecar.ctx.dbName, uid, `${login}-pw`, model, method, args, kwargs] } }),
    });
    const body = (await res.json()) as { result?: unknown; error?: { data: { name: string; message: string } } };
    if (body.error) return { error: body.error.data.name, message: body.error.data.message };
    return body.result;
  };
  const admin = as('admin', 2);
  const cashier = as('cashier', 8);
  const portal = as('portal', 7);
  const demo = as('demo', 6);

  before(async () => {
    sidecar = await startTestSidecar('odoo17');
    db = sidecar.ctx.db.knex;
    for (const login of ['admin', 'cashier', 'portal', 'demo']) await cheapPassword(db, login, `${login}-pw`);
    fx = await buildFixture(sidecar.ctx);
    const refresh = await runJob(sidecar.ctx, 'report-refresh');
    expect(refresh).to.deep.include({ ran: true });
  });
  after(async () => sidecar?.close());

  it('promotion_result_details: one row per reward line, one per order and program with points and no reward line', async () => {
    const rows = (await admin('promotion.result.details', 'search_read', [[['date', '=', DAY]]],
      { fields: ['order_id', 'line_id', 'partner_id', 'program_id', 'reward_id', 'company_id', 'config_id', 'discount_amount', 'points_won', 'points_spent'], order: 'id' })) as Row[];
    const flat = rows.map((r) => ({
      order: m2o(r.order_id), line: m2o(r.line_id), partner: m2o(r.partner_id), program: m2o(r.program_id), reward: m2o(r.reward_id),
      company: m2o(r.company_id), discount: r.discount_amount, won: r.points_won, spent: r.points_spent,
    }));
    const { A, B, C, R, F } = fx.orders;
    const expected = [
      { order: A, line: fx.lines.A16, partner: 64, program: 15, reward: 16, company: 1, discount: 16.1, won: 145, spent: 0 },
      { order: B, line: fx.lines.B8, partner: 65, program: 8, reward: 8, company: 1, discount: 50, won: 0, spent: 0 },
      { order: B, line: fx.lines.B15, partner: 65, program: 15, reward: 15, company: 1, discount: 23, won: 1996, spent: 400 },
      { order: C, line: false, partner: 66, program: 15, reward: false, company: 1, discount: 0, won: 80.5, spent: 0 },
      { order: R, line: fx.lines.R16, partner: 64, program: 15, reward: 16, company: 1, discount: -8.05, won: -72.5, spent: 0 },
      { order: F, line: fx.lines.F8, partner: 63, program: 8, reward: 8, company: 2, discount: 8.05, won: 0, spent: 0 },
    ];
    const key = (x: { order: unknown; line: unknown }) => `${x.order}/${x.line}`;
    expect(flat.sort((a, b) => key(a).localeCompare(key(b)))).to.deep.equal(expected.sort((a, b) => key(a).localeCompare(key(b))));
    // Line rows are named by their line id × 4, the points-only row by its first move × 4 + 1.
    expect(rows.map((r) => r.id as number).filter((id) => id % 4 === 0).sort()).to.deep.equal(Object.values(fx.lines).map((l) => l * 4).sort());
    expect(rows.filter((r) => (r.id as number) % 4 === 1)).to.have.length(1);
    expect(rows.every((r) => m2o(r.config_id) === 1)).to.equal(true);
  });

  it('promotion_result: per program, day, company and till, refunds negative, expiries on their day, new cards', async () => {
    const rows = (await admin('promotion.result', 'search_read', [[['date', 'in', [DAY, EXPIRED_ON, fx.today]]]],
      { fields: ['program_id', 'date', 'company_id', 'config_id', 'order_count', 'customer_count', 'revenue', 'discount_amount',
        'points_issued', 'points_redeemed', 'points_expired', 'new_cards', 'refreshed_at'] })) as Row[];
    const flat = rows.map((r) => [m2o(r.program_id), r.date, m2o(r.company_id), m2o(r.config_id), r.order_count, r.customer_count,
      r.revenue, r.discount_amount, r.points_issued, r.points_redeemed, r.points_expired, r.new_cards]);
    // Program 15 on DAY: A, B, C count 1 each and the refund R −1; customers 64, 65, 66;
    // revenue 144.90 + 1995.85 + 80.50 − 72.45; discount 16.10 + 23 − 8.05; points 145 + 1996 + 80.5 − 72.5 won, 400 spent.
    expect(flat).to.deep.include.members([
      [15, DAY, 1, 1, 2, 3, 2148.8, 31.05, 2149, 400, 0, 0],
      [8, DAY, 1, 1, 1, 1, 1995.85, 50, 0, 0, 0, 0],
      [8, DAY, 2, 1, 1, 1, 72.45, 8.05, 0, 0, 0, 0],
      [15, EXPIRED_ON, 1, false, 0, 0, 0, 0, 0, 0, 30, 0],
      [15, fx.today, 1, false, 0, 0, 0, 0, 30, 0, 0, 0],
      [15, fx.today, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1],
    ]);
    expect(flat).to.have.length(6);
    expect(rows[0].refreshed_at).to.match(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    // The materialized rows are the live view's.
    const live = (await db.raw(`select count(*)::int as n from promotion_result_live`)).rows[0].n;
    expect(live).to.equal((await db.raw(`select count(*)::int as n from promotion_result`)).rows[0].n);
  });

  it('read_group: sums by program, and by date:day / date:month with Odoo\'s labels', async () => {
    const byProgram = (await admin('promotion.result', 'read_group', [[['date', '=', DAY]], ['order_count', 'revenue', 'discount_amount', 'points_issued'], ['program_id']], { lazy: false })) as Row[];
    const p = (id: number) => byProgram.find((g) => m2o(g.program_id) === id)!;
    expect(p(15)).to.deep.include({ __count: 1, order_count: 2, revenue: 2148.8, discount_amount: 31.05, points_issued: 2149 });
    expect(p(8)).to.deep.include({ __count: 2, order_count: 2, revenue: 2068.3, discount_amount: 58.05 });
    const byMonth = (await admin('promotion.result', 'read_group', [[['program_id', '=', 15], ['date', '>=', '2026-03-01'], ['date', '<=', '2026-03-31']], ['points_issued:sum', 'points_expired:sum'], ['date:month']], {})) as Row[];
    expect(byMonth).to.have.length(1);
    expect(byMonth[0]).to.deep.include({ 'date:month': 'March 2026', date_count: 2, points_issued: 2149, points_expired: 30 });
    const byDay = (await admin('promotion.result', 'read_group', [[['program_id', '=', 8]], ['revenue'], ['date:day']], {})) as Row[];
    expect(byDay.map((g) => [g['date:day'], g.revenue])).to.deep.include(['10 Mar 2026', 2068.3]);
  });

  it('display_name, name_search and fields_get', async () => {
    const [row] = (await admin('pos.order.first', 'search_read', [[['partner_id', '=', 66]]], { fields: ['display_name', 'order_id', 'amount_total', 'referral_code_used', 'referrer_id', 'date_order'] })) as Row[];
    expect(m2o(row.order_id)).to.equal(fx.orders.C);
    expect(row).to.deep.include({ amount_total: 80.5, referral_code_used: 'FRIEND72', date_order: `${DAY} 12:00:00` });
    expect(m2o(row.referrer_id)).to.equal(72);
    const partnerName = ((await admin('res.partner', 'read', [[66]], { fields: ['display_name'] })) as Row[])[0].display_name;
    expect(row.display_name).to.equal(partnerName);
    const found = (await admin('pos.order.first', 'name_search', [String(partnerName)], {})) as Array<[number, string]>;
    expect(found.map(([id]) => id)).to.deep.equal([66]);
    const fields = (await admin('promotion.result', 'fields_get', [], { attributes: ['type', 'relation', 'readonly', 'store'] })) as Record<string, Row>;
    expect(fields.program_id).to.deep.equal({ type: 'many2one', relation: 'loyalty.program', readonly: true, store: true });
    expect(fields.revenue.type).to.equal('float');
    expect(fields.refreshed_at.type).to.equal('datetime');
  });

  it('pos_order_first: each partner\'s first paid order, not a refund, not a later one', async () => {
    const rows = (await admin('pos.order.first', 'search_read', [[['date_order', '>=', `${DAY} 00:00:00`], ['date_order', '<', `${DAY} 23:59:59`]]],
      { fields: ['partner_id', 'order_id', 'amount_total', 'company_id', 'referrer_id'] })) as Row[];
    expect(rows.map((r) => [r.id, m2o(r.partner_id), m2o(r.order_id), r.amount_total, m2o(r.company_id), m2o(r.referrer_id)]).sort()).to.deep.equal([
      [63, 63, fx.orders.F, 72.45, 2, false],
      [64, 64, fx.orders.A, 144.9, 1, false],
      [65, 65, fx.orders.B, 1995.85, 1, false],
      [66, 66, fx.orders.C, 80.5, 1, 72],
    ]);
  });

  it('a company-1 POS user sees no company-2 row; a user of both companies sees them when both are allowed', async () => {
    const own = (await cashier('promotion.result', 'search_read', [[['date', '=', DAY]]], { fields: ['company_id', 'revenue'] })) as Row[];
    expect(own.map((r) => m2o(r.company_id))).to.deep.equal([1, 1]);
    const details = (await cashier('promotion.result.details', 'read_group', [[['date', '=', DAY]], ['discount_amount'], ['company_id']], { lazy: false })) as Row[];
    // 16.10 + 50 + 23 + 0 − 8.05: F's 8.05 is company 2's.
    expect(details.map((g) => [m2o(g.company_id), g.discount_amount])).to.deep.equal([[1, 81.05]]);
    const first = (await cashier('pos.order.first', 'search', [[['id', 'in', [63, 64, 65, 66]]]], {})) as number[];
    expect(first.sort()).to.deep.equal([64, 65, 66]);
    // Reading the company-2 row by id: Odoo's record-rule AccessError.
    const hidden = (await db.raw(`select id from promotion_result where company_id = 2 and date = ?`, [DAY])).rows[0].id;
    expect(await cashier('promotion.result', 'read', [[hidden]], { fields: ['revenue'] })).to.deep.include({ error: 'odoo.exceptions.AccessError' });
    const both = (await demo('promotion.result', 'search_read', [[['date', '=', DAY]]], { fields: ['company_id'], context: { allowed_company_ids: [1, 2] } })) as Row[];
    expect(both.map((r) => m2o(r.company_id)).sort()).to.deep.equal([1, 1, 2]);
  });

  it('portal reads nothing; nobody writes, creates or unlinks report rows', async () => {
    for (const model of ['promotion.result', 'promotion.result.details', 'pos.order.first']) {
      const refused = (await portal(model, 'search_read', [[]], { fields: ['id'] })) as Row;
      expect(refused).to.deep.include({ error: 'odoo.exceptions.AccessError' });
      expect(String(refused.message)).to.not.match(/select|from|\bat\b .*\.ts/i);
    }
    const [id] = (await admin('promotion.result', 'search', [[['date', '=', DAY]]], { limit: 1 })) as number[];
    const before = (await db.raw('select revenue::float8 as r from promotion_result where id = ?', [id])).rows[0].r;
    for (const [method, args] of [['write', [[id], { revenue: 1 }]], ['create', [{ revenue: 1 }]], ['unlink', [[id]]]] as const) {
      expect(await admin('promotion.result', method, args as unknown as unknown[])).to.deep.include({ error: 'odoo.exceptions.AccessError' });
    }
    expect((await db.raw('select revenue::float8 as r from promotion_result where id = ?', [id])).rows[0].r).to.equal(before);
  });
});

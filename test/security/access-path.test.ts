import { expect } from 'chai';
import { Knex } from 'knex';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { basicAuth, cheapPassword, expectLedgerBalanced } from '../helpers/ledger';
import { executeKw } from '../../src/orm/call';
import { createOrdersFromUi } from '../../src/orders/pos-ui-order';
import { signHook } from '../../src/api/hook-signature';
import { runJob } from '../../src/jobs/scheduler';

const SECRET = 'access-path-hook-secret-0123';
const ADMIN = 2;
const CASHIER = 8; // POS user of San Francisco (company 1) only
const PORTAL = 7;

/**
 * One access path: REST, hooks, the POS methods, the preview and jobs refuse what execute_kw
 * refuses for the same user and records. Chicago (company 2) gets a loyalty program and a card
 * through the ORM; the cashier of San Francisco may not see or move it anywhere.
 */
describe('security: one access path for every entry point (rights and record rules, multi-company)', () => {
  let sidecar: TestSidecar;
  let db: Knex;
  let chicagoCard: number;
  let chicagoCode: string;
  const users: Record<number, [string, string]> = { [ADMIN]: ['admin', 'admin-pw'], [CASHIER]: ['cashier', 'cashier-pw'], [PORTAL]: ['portal', 'portal-pw'] };
  const rest = (uid: number, method: string, path: string, body?: unknown) => fetch(`${sidecar.url}/api/v1${path}`, {
    method, headers: { authorization: basicAuth(...users[uid]), 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const rpc = async (uid: number, model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) => {
    const res = await fetch(sidecar.url + '/jsonrpc', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { service: 'object', method: 'execute_kw', args: [sidecar.ctx.dbName, uid, users[uid][1], model, method, args, kwargs] } }),
    });
    return (await res.json()) as { result?: unknown; error?: { data: { name: string; message: string } } };
  };
  const movesOf = async (cardId: number) => Number((await db('loyalty_point_move').where({ card_id: cardId }).count({ n: '*' }))[0].n);
  let seq = 500;
  /** A paid POS order of session 4 (San Francisco), moved to `companyId` when asked (an order of another company). */
  const posOrder = async (partnerId: number, companyId = 1) => {
    const n = ++seq;
    const [id] = await db.transaction((cr) => createOrdersFromUi(cr, ADMIN, [{
      id: `00004-009-${n}`,
      data: {
        name: `Order 00004-009-${n}`, amount_paid: 80.5, amount_total: 80.5, amount_tax: 0, amount_return: 0,
        lines: [[0, 0, { qty: 1, price_unit: 70, price_subtotal: 80.5, price_subtotal_incl: 80.5, discount: 0, product_id: 5, tax_ids: [[6, false, [1]]], full_product_name: 'x', price_extra: 0 }]],
        statement_ids: [[0, 0, { name: '2026-11-22 10:00:00', payment_method_id: 2, amount: 80.5 }]],
        pos_session_id: 4, pricelist_id: false, partner_id: partnerId, user_id: 2, uid: `00004-009-${n}`, sequence_number: n,
        date_order: '2026-11-22 10:00:00', fiscal_position_id: false, server_id: false, to_invoice: false,
      },
    }], false, new Date()));
    if (companyId !== 1) {
      await db('pos_order').where({ id }).update({ company_id: companyId });
      await db('pos_order_line').where({ order_id: id }).update({ company_id: companyId });
    }
    return id;
  };
  const hook = (body: unknown) => {
    const text = JSON.stringify(body);
    const ts = Math.floor(Date.now() / 1000);
    return fetch(sidecar.url + '/hooks/pos-order', { method: 'POST', body: text, headers: { 'X-Sidecar-Timestamp': String(ts), 'X-Sidecar-Signature': signHook(SECRET, ts, text) } });
  };
  const processed = async (orderId: number) => !!(await db('sidecar_processed_order').where({ pos_order_id: orderId }).first('id'));

  before(async () => {
    sidecar = await startTestSidecar('odoo17', { hookSecret: SECRET });
    db = sidecar.ctx.db.knex;
    for (const [login, pw] of Object.values(users)) await cheapPassword(db, login, pw);
    const program = (await executeKw(sidecar.ctx, ADMIN, 'loyalty.program', 'create', [{ name: 'Chicago Club', company_id: 2, program_type: 'loyalty', reward_ids: [[0, 0, { reward_type: 'discount', discount: 10, required_points: 100 }]] }], {})) as number;
    chicagoCard = (await executeKw(sidecar.ctx, ADMIN, 'loyalty.card', 'create', [{ program_id: program, partner_id: 64, points: 500 }], {})) as number;
    const card = await db('loyalty_card').where({ id: chicagoCard }).first('company_id', 'code', 'points');
    expect(card).to.include({ company_id: 2, points: 500 });
    chicagoCode = card.code;
  });
  after(async () => sidecar?.close());
  afterEach(async () => expectLedgerBalanced(db));

  it('execute_kw: the cashier may not read the Chicago card (the reference every other entry point must match)', async () => {
    expect((await rpc(CASHIER, 'loyalty.card', 'read', [[chicagoCard], ['points']])).error?.data.name).to.equal('odoo.exceptions.AccessError');
    expect((await rpc(ADMIN, 'loyalty.card', 'read', [[chicagoCard], ['points']])).result).to.deep.equal([{ id: chicagoCard, points: 500 }]);
  });

  it('REST: balance, earn and redeem of the Chicago card are 403 for the cashier and write nothing; 200/201 for the admin', async () => {
    const before = await movesOf(chicagoCard);
    const balance = await rest(CASHIER, 'GET', `/cards/${chicagoCard}/balance`);
    expect(balance.status).to.equal(403);
    expect(((await balance.json()) as { error: { code: string; message: string } }).error.message).to.match(/doesn't have 'read' access/);
    expect((await rest(CASHIER, 'POST', '/points/earn', { card_id: chicagoCard, points: 5, reason: 'x' })).status).to.equal(403);
    expect((await rest(CASHIER, 'POST', '/points/redeem', { card_id: chicagoCard, points: 5, reference: 'x' })).status).to.equal(403);
    expect(await movesOf(chicagoCard)).to.equal(before);
    expect((await rest(CASHIER, 'GET', '/cards/17/balance')).status).to.equal(200);
    expect((await rest(ADMIN, 'GET', `/cards/${chicagoCard}/balance`)).status).to.equal(200);
    expect((await rest(ADMIN, 'POST', '/points/redeem', { card_id: chicagoCard, points: 5, reference: 'x' })).status).to.equal(201);
    // The portal user has no rights on cards at all.
    expect((await rest(PORTAL, 'GET', '/cards/17/balance')).status).to.equal(403);
    // Bad ids: 400 beyond int4 or not a number, 404 when missing.
    expect((await rest(ADMIN, 'GET', '/cards/99999999999/balance')).status).to.equal(400);
    expect((await rest(ADMIN, 'GET', '/cards/abc/balance')).status).to.equal(400);
    expect((await rest(ADMIN, 'GET', '/cards/2000000000/balance')).status).to.equal(404);
  });

  it('POS methods: validate_coupon_programs reads the cards as the POS user; the portal user gets an AccessError', async () => {
    const denied = await rpc(CASHIER, 'pos.order', 'validate_coupon_programs', [[], { [chicagoCard]: -10 }, []]);
    expect(denied.error?.data.name).to.equal('odoo.exceptions.AccessError');
    expect(JSON.stringify(denied)).to.not.include(chicagoCode);
    expect((await rpc(CASHIER, 'pos.order', 'validate_coupon_programs', [[], { 17: -1 }, []])).result).to.deep.equal({ successful: true, payload: {} });
    expect((await rpc(PORTAL, 'pos.order', 'validate_coupon_programs', [[], { 17: -1 }, []])).error?.data.name).to.equal('odoo.exceptions.AccessError');
    // A code the rules hide is not reported as existing (Odoo's search as the user).
    expect((await rpc(CASHIER, 'pos.order', 'validate_coupon_programs', [[], {}, [chicagoCode]])).result).to.deep.equal({ successful: true, payload: {} });
    expect(((await rpc(ADMIN, 'pos.order', 'validate_coupon_programs', [[], {}, [chicagoCode]])).result as { successful: boolean }).successful).to.equal(false);
  });

  it('preview (RPC and REST): the portal user is refused; the cashier never sees the Chicago card, its code or balance', async () => {
    const order = { partner_id: 64, lines: [{ product_id: 5, qty: 1, price_unit: 70 }], codes: [chicagoCode], channel: 'pos' };
    expect((await rpc(PORTAL, 'pos.order', 'loyalty_preview', [order])).error?.data.name).to.equal('odoo.exceptions.AccessError');
    expect((await rest(PORTAL, 'POST', '/orders/preview', order)).status).to.equal(403);
    const asCashier = await rpc(CASHIER, 'pos.order', 'loyalty_preview', [order]);
    expect(asCashier.error).to.equal(undefined);
    const text = JSON.stringify(asCashier.result);
    expect(text).to.not.match(new RegExp(`"coupon_id":${chicagoCard}\\b`));
    expect(text).to.not.include('500');
    const viaRest = await (await rest(CASHIER, 'POST', '/orders/preview', order)).text();
    expect(viaRest).to.not.match(new RegExp(`"coupon_id":${chicagoCard}\\b`));
  });

  it('hooks, REST processing and confirm_coupon_programs run as the user: a Chicago order is refused to the cashier, processed for the superuser', async () => {
    const chicagoOrder = await posOrder(65, 2);
    expect((await hook({ id: chicagoOrder, uid: CASHIER })).status).to.equal(403);
    expect((await rest(CASHIER, 'POST', `/pos-orders/${chicagoOrder}/process`)).status).to.equal(403);
    expect((await rpc(CASHIER, 'pos.order', 'confirm_coupon_programs', [[chicagoOrder], {}])).error?.data.name).to.equal('odoo.exceptions.AccessError');
    expect(await processed(chicagoOrder)).to.equal(false);
    expect((await hook({ id: chicagoOrder })).status).to.equal(201);
    expect(await processed(chicagoOrder)).to.equal(true);
    // The cashier's own order goes through every path.
    const mine = await posOrder(66);
    expect((await hook({ id: mine, uid: CASHIER })).status).to.equal(201);
    expect((await hook({ id: 99999999999, uid: CASHIER })).status).to.equal(400);
  });

  it('REST external orders: the cashier cannot spend the Chicago card nor buy for a customer the rules hide', async () => {
    const before = await movesOf(chicagoCard);
    const spend = await rest(CASHIER, 'POST', '/orders', { reference: 'ext-1', partner_id: 64, lines: [{ product_id: 5, qty: 1, price_unit: 70 }], codes: [chicagoCode] });
    expect([201, 400, 403]).to.include(spend.status);
    expect(await movesOf(chicagoCard)).to.equal(before);
    // Numbers beyond the business limits are refused, nothing written.
    const absurd = await rest(ADMIN, 'POST', '/orders', { reference: 'ext-absurd', partner_id: 64, lines: [{ product_id: 5, qty: 1e300, price_unit: 1e300 }] });
    expect(absurd.status).to.equal(400);
    expect(((await absurd.json()) as { error: { code: string } }).error.code).to.equal('out_of_bounds');
    expect(await db('sidecar_processed_order').where({ external_reference: 'ext-absurd' }).first()).to.equal(undefined);
  });

  it('jobs run as JOBS_UID: the sweep of a San Francisco job user leaves Chicago orders to another', async () => {
    const chicagoOrder = await posOrder(67, 2);
    const sfOrder = await posOrder(67);
    const asCashier = { ...sidecar.ctx, config: { ...sidecar.ctx.config, jobsUid: CASHIER } };
    await runJob(asCashier, 'points-sweep');
    expect(await processed(sfOrder)).to.equal(true);
    expect(await processed(chicagoOrder)).to.equal(false);
    await runJob(sidecar.ctx, 'points-sweep');
    expect(await processed(chicagoOrder)).to.equal(true);
  });
});

/**
 * The whole mission, as users meet it, against one running sidecar process: the same checks in
 * every database mode (test/modes/matrix.test.ts). Real clients on the wire: the npm `xmlrpc`
 * client for XML-RPC, JSON-RPC and the web session over fetch, REST and signed hooks over
 * fetch. Admin and unprivileged users (demo: POS user and salesman; portal: no loyalty rights).
 * The demo data is the recorded Odoo 17 database's own rows in every mode (the same ids).
 */
import { expect } from 'chai';
import xmlrpc from 'xmlrpc';
import { signHook } from '../../src/api/hook-signature';
import { basicAuth } from '../helpers/ledger';

export interface MissionTarget {
  url: string;
  db: string;
  hookSecret: string;
  /** Whether the server process is still running. */
  alive(): boolean;
}

interface Fault {
  faultCode: number;
  faultString: string;
}

/** One XML-RPC call with the npm `xmlrpc` client: the value, or the fault as `{fault}`. */
function xmlrpcCall(url: string, path: string, method: string, params: unknown[]): Promise<{ value?: unknown; fault?: Fault }> {
  const u = new URL(url);
  const client = xmlrpc.createClient({ host: u.hostname, port: Number(u.port), path });
  return new Promise((resolve, reject) =>
    client.methodCall(method, params, (err: unknown, value: unknown) => {
      if (!err) return resolve({ value });
      const fault = err as Partial<Fault>;
      if (typeof fault.faultCode === 'number') return resolve({ fault: fault as Fault });
      reject(err);
    }),
  );
}

/** Money figures of an answer: at most the currency's two decimals (no 86.96000000000001). */
function expectMoney(values: number[]): void {
  for (const v of values) expect(Math.abs(v * 100 - Math.round(v * 100)), String(v)).to.be.lessThan(1e-6);
  for (const v of values) expect(String(v), String(v)).to.match(/^-?\d+(\.\d{1,2})?$/);
}

export const USERS = { admin: { uid: 2, password: 'admin' }, demo: { uid: 6, password: 'demo' }, portal: { uid: 7, password: 'portal' } };
/** From the demo data: Liam Smith, his Retail Club card, the open POS session, a taxed product. */
const PARTNER = 64;
const CARD = 17;
const SESSION = 4;
const PRODUCT = 5;

/** A paid POS order as the Odoo 17 POS sends it to create_from_ui. */
export function uiOrder(ref: string, amount = 161, partner = PARTNER): Record<string, unknown> {
  return {
    id: ref,
    to_invoice: false,
    data: {
      name: `Order ${ref}`, amount_paid: amount, amount_total: amount, amount_tax: 21, amount_return: 0,
      lines: [[0, 0, { qty: 2, price_unit: 70, price_subtotal: 140, price_subtotal_incl: 161, discount: 0, product_id: PRODUCT, tax_ids: [[6, false, [1]]], full_product_name: 'line', price_extra: 0 }]],
      statement_ids: [[0, 0, { name: '2026-11-22 10:00:00', payment_method_id: 2, amount }]],
      pos_session_id: SESSION, pricelist_id: false, partner_id: partner, user_id: 2, uid: ref, sequence_number: 1,
      date_order: new Date().toISOString().slice(0, 19).replace('T', ' '), fiscal_position_id: false, server_id: false,
      to_invoice: false, is_tipped: false, tip_amount: 0, access_token: `token-${ref}`, last_order_preparation_change: '{}', ticket_code: ref.slice(-5),
    },
  };
}

/**
 * Defines the mission's `it`s in the caller's describe; `target()` is read when they run.
 * `tag` keeps the references of one run apart from another's.
 */
export function itRunsTheMission(target: () => MissionTarget, tag: string): void {
  const t = () => target();
  const kw = (user: keyof typeof USERS, model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) =>
    xmlrpcCall(t().url, '/xmlrpc/2/object', 'execute_kw', [t().db, USERS[user].uid, USERS[user].password, model, method, args, kwargs]);
  const ok = async (user: keyof typeof USERS, model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) => {
    const answer = await kw(user, model, method, args, kwargs);
    expect(answer.fault, `${model}.${method} as ${user}`).to.equal(undefined);
    return answer.value;
  };
  const rest = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}, user: keyof typeof USERS = 'admin') => {
    const res = await fetch(t().url + '/api/v1' + path, {
      method,
      headers: { authorization: basicAuth(user, USERS[user].password), 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, requestId: res.headers.get('x-request-id') };
  };
  const hook = async (path: string, payload: unknown) => {
    const body = JSON.stringify(payload);
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(t().url + '/hooks' + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sidecar-timestamp': String(ts), 'x-sidecar-signature': signHook(t().hookSecret, ts, body) },
      body,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const points = async () => ((await ok('admin', 'loyalty.card', 'read', [[CARD]], { fields: ['points'] })) as Array<{ points: number }>)[0].points;

  it('logs in over XML-RPC with Odoo\'s users and refuses a wrong password', async () => {
    const version = await xmlrpcCall(t().url, '/xmlrpc/2/common', 'version', []);
    expect(version.value).to.deep.include({ server_version: '17.0' });
    for (const [login, user] of Object.entries(USERS)) {
      expect((await xmlrpcCall(t().url, '/xmlrpc/2/common', 'authenticate', [t().db, login, user.password, {}])).value, login).to.equal(user.uid);
    }
    expect((await xmlrpcCall(t().url, '/xmlrpc/2/common', 'authenticate', [t().db, 'admin', 'wrong', {}])).value).to.equal(false);
  });

  it('reads as Odoo does: search_read, read, search, search_count, read_group, name_search, fields_get', async () => {
    const cards = (await ok('admin', 'loyalty.card', 'search_read', [[['partner_id', '=', PARTNER]]], { fields: ['code', 'points', 'partner_id', 'program_id'] })) as Array<Record<string, unknown>>;
    expect(cards.find((c) => c.id === CARD)).to.deep.include({ partner_id: [PARTNER, 'Liam Smith'] });
    expect(await ok('admin', 'loyalty.card', 'read', [[CARD]], { fields: ['code'] })).to.deep.equal([{ id: CARD, code: '0445-8efc-46cd' }]);
    expect(await ok('demo', 'product.product', 'search', [[['id', '=', PRODUCT]]])).to.deep.equal([PRODUCT]);
    expect(await ok('demo', 'pos.order', 'search_count', [[['session_id', '=', SESSION]]])).to.be.a('number').greaterThan(0);
    const groups = (await ok('admin', 'pos.order', 'read_group', [[], ['amount_total:sum'], ['state']], { lazy: false })) as Array<Record<string, unknown>>;
    expect(groups.map((g) => g.state)).to.include('paid');
    expect(await ok('demo', 'res.partner', 'name_search', ['Liam Smith'])).to.deep.include([PARTNER, 'Liam Smith']);
    const fields = (await ok('admin', 'loyalty.card', 'fields_get', [['points']], { attributes: ['type', 'string'] })) as Record<string, unknown>;
    expect(fields).to.deep.equal({ points: { type: 'float', string: 'Points' } });
    // The portal user has no right on loyalty cards: Odoo's AccessError, fault 4.
    expect((await kw('portal', 'loyalty.card', 'search_read', [[]], { fields: ['code'] })).fault).to.include({ faultCode: 4 });
  });

  it('creates, writes and unlinks within the user\'s rights, and refuses what they may not do', async () => {
    for (const user of ['admin', 'demo'] as const) {
      const id = (await ok(user, 'res.partner', 'create', [{ name: `Mission ${tag} ${user}` }])) as number;
      expect(await ok(user, 'res.partner', 'write', [[id], { name: `Mission ${tag} ${user} renamed` }])).to.equal(true);
      expect(await ok(user, 'res.partner', 'read', [[id]], { fields: ['name'] })).to.deep.equal([{ id, name: `Mission ${tag} ${user} renamed` }]);
      expect(await ok(user, 'res.partner', 'unlink', [[id]])).to.equal(true);
    }
    // demo reads loyalty programs but may not write them.
    const refused = await kw('demo', 'loyalty.program', 'write', [[15], { name: 'Renamed by demo' }]);
    expect(refused.fault).to.include({ faultCode: 4 });
    expect(await ok('admin', 'loyalty.program', 'read', [[15]], { fields: ['name'] })).to.deep.equal([{ id: 15, name: 'Retail Club' }]);
    // A bad call is Odoo's error, not a crash.
    expect((await kw('admin', 'no.such.model', 'search', [[]])).fault).to.include({ faultCode: 2, faultString: "Object no.such.model doesn't exist" });
  });

  it('previews an order over RPC and REST alike, money rounded to the currency, and claims a reward', async () => {
    const order = { partner_id: PARTNER, lines: [{ product_id: 35, qty: 1, price_unit: 1500 }], codes: ['VIP15'] };
    const rpc = (await ok('demo', 'pos.order', 'loyalty_preview', [order])) as Record<string, unknown>;
    const viaRest = await rest('POST', '/orders/preview', order, {}, 'demo');
    expect(viaRest.status).to.equal(200);
    expect(viaRest.body).to.deep.equal(rpc);
    const claimable = rpc.claimable as Array<{ reward_id: number; coupon_id: number | false }>;
    expect(claimable.length).to.be.greaterThan(0);
    for (const c of claimable) {
      const claimed = await rest('POST', '/orders/preview', { ...order, rewards: [{ reward_id: c.reward_id, coupon_id: c.coupon_id }] });
      expect(claimed.status, JSON.stringify(claimed.body)).to.be.oneOf([200, 422]);
      if (claimed.status !== 200) continue;
      const lines = claimed.body.lines as Array<Record<string, number>>;
      expectMoney([claimed.body.amount_untaxed, claimed.body.amount_tax, claimed.body.amount_total, ...lines.flatMap((l) => [l.price_subtotal, l.price_total])] as number[]);
    }
    const refused = await rest('POST', '/orders/preview', { partner_id: PARTNER, lines: [{ product_id: 999999, qty: 1, price_unit: 1 }] });
    expect(refused.status).to.equal(400);
    expect(refused.body).to.deep.equal({ error: { code: 'invalid_order', message: 'Line 1: product 999999 does not exist.' } });
  });

  it('runs the POS flow: validate_coupon_programs, create_from_ui, confirm_coupon_programs', async () => {
    const before = await points();
    expect(await ok('admin', 'pos.order', 'validate_coupon_programs', [[], { [CARD]: 161 }, []])).to.deep.equal({ successful: true, payload: {} });
    const ref = `${tag}-pos-1`;
    const created = (await ok('demo', 'pos.order', 'create_from_ui', [[uiOrder(ref)], false])) as Array<{ id: number; pos_reference: string }>;
    expect(created).to.have.length(1);
    expect(created[0].pos_reference).to.equal(`Order ${ref}`);
    const confirmed = (await ok('demo', 'pos.order', 'confirm_coupon_programs', [[created[0].id], { [CARD]: { points: 161, program_id: 15, coupon_id: CARD, barcode: false, partner_id: PARTNER } }])) as Record<string, Array<Record<string, unknown>>>;
    const update = confirmed.coupon_updates.find((c) => c.id === CARD)!;
    expect(update.points).to.be.greaterThan(before);
    expect(await points()).to.equal(update.points);
    // The order's name comes from the session's ir.sequence, as Odoo numbers it.
    const [read] = (await ok('admin', 'pos.order', 'read', [[created[0].id]], { fields: ['name', 'state'] })) as Array<{ name: string; state: string }>;
    expect(read).to.deep.include({ state: 'paid' });
    expect(read.name).to.match(/^Shop\/\d{4}$/);
    // Asking again through REST: processed once already.
    const again = await rest('POST', `/pos-orders/${created[0].id}/process`);
    expect(again.status).to.equal(200);
    expect(again.body).to.include({ processed: false });
  });

  it('serves REST: an external order once per reference, earn, redeem, a short balance refused, the balance, a POS order processed', async () => {
    const ref = `${tag}-web-1`;
    const order = { reference: ref, partner_id: PARTNER, lines: [{ product_id: PRODUCT, qty: 1, price_unit: 50 }] };
    const first = await rest('POST', '/orders', order);
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    expect(first.requestId).to.be.a('string').with.length.greaterThan(0);
    const second = await rest('POST', '/orders', order);
    expect(second.status).to.equal(200);
    expect(second.body.result).to.deep.equal(first.body.result);

    const start = await points();
    const earn = await rest('POST', '/points/earn', { card_id: CARD, points: 30, reason: 'mission' }, { 'idempotency-key': `${tag}-earn` });
    expect(earn.status).to.equal(201);
    const replay = await rest('POST', '/points/earn', { card_id: CARD, points: 30, reason: 'mission' }, { 'idempotency-key': `${tag}-earn` });
    expect(replay.body).to.deep.equal(earn.body);
    const redeem = await rest('POST', '/points/redeem', { card_id: CARD, points: 10, reference: `${tag}-redeem` }, {}, 'demo');
    expect(redeem.status).to.equal(201);
    expect(redeem.body.points).to.equal(start + 20);
    const short = await rest('POST', '/points/redeem', { card_id: CARD, points: 1e9, reference: `${tag}-too-much` });
    expect(short.status).to.equal(409);
    const balance = await rest('GET', `/cards/${CARD}/balance`, undefined, {}, 'demo');
    expect(balance.status).to.equal(200);
    expect(balance.body.points).to.equal(await points());
    // A paid order the till sent without confirming its coupons: processed through REST, once.
    const [{ id: paid }] = (await ok('admin', 'pos.order', 'create_from_ui', [[uiOrder(`${tag}-rest-1`)], false])) as Array<{ id: number }>;
    const processed = await rest('POST', `/pos-orders/${paid}/process`, undefined, {}, 'demo');
    expect(processed.status, JSON.stringify(processed.body)).to.equal(201);
    expect(processed.body).to.include({ pos_order_id: paid, processed: true });
    expect((await rest('POST', `/pos-orders/${paid}/process`)).body).to.include({ processed: false });
    // The portal user may not move points; nobody without credentials may read.
    expect((await rest('POST', '/points/earn', { card_id: CARD, points: 1, reason: 'x' }, {}, 'portal')).status).to.equal(403);
    expect((await fetch(t().url + `/api/v1/cards/${CARD}/balance`)).status).to.equal(401);
  });

  it('keeps writing after a pause (the registry\'s background check every 2 s stays out of the writes\' transactions)', async () => {
    await new Promise((r) => setTimeout(r, 2500));
    const order = await rest('POST', '/orders', { reference: `${tag}-after-pause`, partner_id: PARTNER, lines: [{ product_id: PRODUCT, qty: 1, price_unit: 20 }] });
    expect(order.status, JSON.stringify(order.body)).to.equal(201);
    await new Promise((r) => setTimeout(r, 2500));
    expect((await rest('POST', '/points/earn', { card_id: CARD, points: 1, reason: 'after a pause' })).status).to.equal(201);
  });

  it('answers JSON-RPC and the web session (call_kw) as Odoo does', async () => {
    const rpc = await fetch(t().url + '/jsonrpc', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 7, params: { service: 'object', method: 'execute_kw', args: [t().db, 2, 'admin', 'loyalty.card', 'search_count', [[['id', '=', CARD]]]] } }),
    });
    expect(await rpc.json()).to.deep.equal({ jsonrpc: '2.0', id: 7, result: 1 });
    const login = await fetch(t().url + '/web/session/authenticate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { db: t().db, login: 'demo', password: 'demo' } }),
    });
    const cookie = login.headers.getSetCookie()[0].split(';')[0];
    const call = await fetch(t().url + '/web/dataset/call_kw/loyalty.card/read', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 2, params: { model: 'loyalty.card', method: 'read', args: [[CARD], ['code']], kwargs: {} } }),
    });
    expect(await call.json()).to.deep.equal({ jsonrpc: '2.0', id: 2, result: [{ id: CARD, code: '0445-8efc-46cd' }] });
  });

  it('processes a paid order from a signed hook once, and refuses an unsigned one', async () => {
    const created = (await ok('admin', 'pos.order', 'create_from_ui', [[uiOrder(`${tag}-hook-1`)], false])) as Array<{ id: number }>;
    const first = await hook('/pos-order', { id: created[0].id });
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    expect(first.body).to.include({ pos_order_id: created[0].id, processed: true });
    const second = await hook('/pos-order', { id: created[0].id });
    expect(second.status).to.equal(200);
    expect(second.body).to.include({ processed: false });
    const unsigned = await fetch(t().url + '/hooks/pos-order', { method: 'POST', body: JSON.stringify({ id: created[0].id }) });
    expect(unsigned.status).to.equal(401);
  });

  it('is still serving', async () => {
    expect(t().alive()).to.equal(true);
    const health = await (await fetch(t().url + '/healthz')).json();
    expect(health).to.include({ status: 'ok' });
  });
}

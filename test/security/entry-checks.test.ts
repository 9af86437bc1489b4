import { expect } from 'chai';
import { Knex } from 'knex';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { basicAuth, cheapPassword, expectLedgerBalanced } from '../helpers/ledger';
import { canonicalJson } from '../../src/api/idempotency';
import { loadConfig } from '../../src/config';
import { hooksRouter } from '../../src/api/hooks';
import { signHook } from '../../src/api/hook-signature';

/** Credentials before bodies, bounds on every number, idempotency by meaning. */
describe('security: entry checks (credentials before bodies, bounds, canonical idempotency)', () => {
  let sidecar: TestSidecar;
  let db: Knex;
  const auth = basicAuth('admin', 'entry-pw');
  const rpc = async (model: string, method: string, args: unknown[]) => {
    const res = await fetch(sidecar.url + '/jsonrpc', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { service: 'object', method: 'execute_kw', args: [sidecar.ctx.dbName, 2, 'entry-pw', model, method, args, {}] } }),
    });
    return (await res.json()) as { result?: unknown; error?: { data: { name: string; message: string } } };
  };
  const moves = async () => Number((await db('loyalty_point_move').count({ n: '*' }))[0].n);

  before(async () => {
    sidecar = await startTestSidecar('odoo17', { hookSecret: 'entry-checks-hook-secret', limits: { points: 10_000, quantity: 1000, amount: 100_000 } });
    db = sidecar.ctx.db.knex;
    await cheapPassword(db, 'admin', 'entry-pw');
  });
  after(async () => sidecar?.close());
  afterEach(async () => expectLedgerBalanced(db));

  it('REST answers 401 before reading the body; hooks answer a stale timestamp before reading theirs', async () => {
    // Malformed JSON and a body past the limit: without credentials neither is even read.
    const noAuth = await fetch(`${sidecar.url}/api/v1/points/earn`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(noAuth.status).to.equal(401);
    const big = await fetch(`${sidecar.url}/api/v1/points/earn`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth('admin', 'wrong') }, body: 'x'.repeat(11 * 1024 * 1024) });
    expect(big.status).to.equal(401);
    const withAuth = await fetch(`${sidecar.url}/api/v1/points/earn`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body: '{not json' });
    expect(withAuth.status).to.equal(400);
    const stale = await fetch(`${sidecar.url}/hooks/pos-order`, { method: 'POST', headers: { 'X-Sidecar-Timestamp': '1' }, body: 'x'.repeat(200 * 1024) });
    expect(stale.status).to.equal(401);
    expect(((await stale.json()) as { error: { code: string } }).error.code).to.equal('stale_hook');
  });

  it('every hook route is behind the signature and its 5-minute window, whatever routes are added', async () => {
    // Routes of the router and of the routers it mounts (one per hook area: src/api/hook-*.ts).
    type Layer = { route?: { path: string }; handle?: { stack?: Layer[] } };
    const walk = (stack: Layer[]): string[] => stack.flatMap((l) => (l.route ? [l.route.path] : l.handle?.stack ? walk(l.handle.stack) : []));
    const routes = walk((hooksRouter(sidecar.ctx) as unknown as { stack: Layer[] }).stack);
    expect(routes).to.include('/pos-order');
    const body = JSON.stringify({ id: 1 });
    const old = Math.floor(Date.now() / 1000) - 301;
    for (const route of routes) {
      const unsigned = await fetch(`${sidecar.url}/hooks${route}`, { method: 'POST', body });
      expect(unsigned.status, route).to.equal(401);
      const replay = await fetch(`${sidecar.url}/hooks${route}`, { method: 'POST', body, headers: { 'X-Sidecar-Timestamp': String(old), 'X-Sidecar-Signature': signHook('entry-checks-hook-secret', old, body) } });
      expect(replay.status, route).to.equal(401);
    }
  });

  it('numbers beyond the limits or not finite are refused with a clear 400 / UserError, and nothing is written', async () => {
    const n = await moves();
    const post = (path: string, body: unknown) => fetch(`${sidecar.url}/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body: JSON.stringify(body) });
    const earn = await post('/points/earn', { card_id: 17, points: 20_000, reason: 'too much' });
    expect(earn.status).to.equal(400);
    expect(((await earn.json()) as { error: { code: string; message: string } }).error).to.deep.equal({ code: 'out_of_bounds', message: 'points is beyond the limit of 10000 (MAX_POINTS)' });
    expect((await post('/points/earn', { card_id: 2147483648, points: 1, reason: 'x' })).status).to.equal(400);
    expect((await post('/orders', { reference: 'big-qty', partner_id: 64, lines: [{ product_id: 5, qty: 5000, price_unit: 70 }] })).status).to.equal(400);
    expect((await post('/orders', { reference: 'big-price', partner_id: 64, lines: [{ product_id: 5, qty: 1, price_unit: -1e300 }] })).status).to.equal(400);
    expect((await post('/orders', { reference: 'bad-date', partner_id: 64, date_order: '2026-02-30', lines: [{ product_id: 5, qty: 1, price_unit: 7 }] })).status).to.equal(400);
    expect((await post('/points/redeem', { card_id: 17, points: 1, reference: 'nul\u0000' })).status).to.equal(400);
    const preview = await rpc('pos.order', 'loyalty_preview', [{ partner_id: 64, lines: [{ product_id: 5, qty: 1e300, price_unit: 70 }] }]);
    expect(preview.error?.data).to.include({ name: 'odoo.exceptions.UserError', message: 'Line 1: the quantity is beyond the limit of 1000 (MAX_QUANTITY).' });
    const orders = Number((await db('pos_order').count({ n: '*' }))[0].n);
    const ui = await rpc('pos.order', 'create_from_ui', [[{ data: {
      name: 'Order huge', amount_paid: 1, amount_total: 1, amount_tax: 0, amount_return: 0, pos_session_id: 4, partner_id: 64, date_order: '2026-11-22 10:00:00',
      lines: [[0, 0, { qty: 1e300, price_unit: 1e300, price_subtotal: 1, price_subtotal_incl: 1, discount: 0, product_id: 5, tax_ids: [[6, false, [1]]] }]],
      statement_ids: [],
    } }]]);
    expect(ui.error?.data).to.include({ name: 'odoo.exceptions.UserError', message: 'qty is beyond the limit of 1000 (MAX_QUANTITY).' });
    expect(Number((await db('pos_order').count({ n: '*' }))[0].n)).to.equal(orders);
    // Points written through the ORM beyond the ledger's limit: refused in the same call.
    const write = await rpc('loyalty.card', 'write', [[17], { points: 50_000 }]);
    expect(write.error?.data.name).to.equal('odoo.exceptions.UserError');
    expect((await db('loyalty_card').where({ id: 17 }).first('points')).points).to.equal(340);
    expect(await moves()).to.equal(n);
  });

  it('limits come from MAX_POINTS, MAX_QUANTITY and MAX_AMOUNT, validated at start-up', () => {
    expect(loadConfig({ MAX_POINTS: '500', MAX_QUANTITY: '10', MAX_AMOUNT: '99.5' }).limits).to.deep.equal({ points: 500, quantity: 10, amount: 99.5 });
    expect(() => loadConfig({ MAX_POINTS: '-1' })).to.throw(/MAX_POINTS/);
    expect(() => loadConfig({ METRICS_ALLOW: '10.0.0.0/99' })).to.throw(/METRICS_ALLOW/);
    expect(() => loadConfig({ TRUSTED_PROXIES: 'not-an-address' })).to.throw(/TRUSTED_PROXIES/);
  });

  it('an Idempotency-Key compares the request\'s meaning: keys in another order replay, another value is refused', async () => {
    const send = (body: string) => fetch(`${sidecar.url}/api/v1/points/earn`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth, 'Idempotency-Key': 'canon-1' }, body });
    const first = await send('{"card_id": 18, "points": 3, "reason": "canonical"}');
    expect(first.status).to.equal(201);
    const reordered = await send('{"reason":"canonical","points":3.0,"card_id":18}');
    expect(reordered.status).to.equal(201);
    expect(await reordered.json()).to.deep.equal(await first.json());
    expect((await send('{"reason":"canonical","points":4,"card_id":18}')).status).to.equal(422);
    expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: null })).to.equal('{"a":null,"b":[1,{"c":2,"d":1}]}');
  });
});

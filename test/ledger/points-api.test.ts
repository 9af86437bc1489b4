import { expect } from 'chai';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { basicAuth, cheapPassword, expectLedgerBalanced } from '../helpers/ledger';

describe('ledger: REST points API', () => {
  let sidecar: TestSidecar;
  const auth = basicAuth('admin', 'ledger-test');
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(sidecar.url + '/api/v1' + path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', authorization: auth, ...headers } });
  const balance = async (id: number) => (await (await fetch(`${sidecar.url}/api/v1/cards/${id}/balance`, { headers: { authorization: auth } })).json()) as { points: number; history: unknown[] };

  before(async () => {
    sidecar = await startTestSidecar('odoo17');
    await cheapPassword(sidecar.ctx.db.knex, 'admin', 'ledger-test');
    await cheapPassword(sidecar.ctx.db.knex, 'portal', 'portal-test');
  });
  after(async () => sidecar?.close());
  afterEach(async () => expectLedgerBalanced(sidecar.ctx.db.knex));

  it('wrote one opening move per card holding points when it attached', async () => {
    const db = sidecar.ctx.db.knex;
    const cards = Number((await db.raw(`SELECT count(*) FROM loyalty_card WHERE COALESCE(points, 0) <> 0`)).rows[0].count);
    const openings = (await db.raw(`SELECT card_id, points::float8 AS points FROM loyalty_point_move WHERE kind = 'opening' ORDER BY card_id`)).rows;
    expect(openings.length).to.equal(cards);
    expect(openings.find((m: { card_id: number }) => m.card_id === 17)).to.deep.equal({ card_id: 17, points: 340 });
  });

  it('200 concurrent redeems of 10 points on a card holding 1,000: exactly 100 succeed, the rest get 409', async function () {
    this.timeout(60_000);
    const db = sidecar.ctx.db.knex;
    // Card 21 (Retail Club, partner 72) holds 0: give it 1,000 through the API first.
    const earned = await post('/points/earn', { card_id: 21, points: 1000, reason: 'test top-up' });
    expect(earned.status).to.equal(201);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => post('/points/redeem', { card_id: 21, points: 10, reference: `till-${i}` }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error: { code: string } } }))),
    );
    const ok = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status === 409);
    expect(ok).to.have.length(100);
    expect(refused).to.have.length(100);
    expect(refused[0].body.error.code).to.equal('insufficient_points');
    expect((await balance(21)).points).to.equal(0);
    const redeems = (await db.raw(`SELECT count(*)::int AS n, SUM(points)::float8 AS total FROM loyalty_point_move WHERE card_id = 21 AND kind = 'redeem'`)).rows[0];
    expect(redeems).to.deep.equal({ n: 100, total: -1000 });
  });

  it('a write retried 3 times with one Idempotency-Key changes the state once', async () => {
    const db = sidecar.ctx.db.knex;
    const before = (await balance(17)).points;
    const moves = async () => Number((await db.raw('SELECT count(*) FROM loyalty_point_move WHERE card_id = 17')).rows[0].count);
    const movesBefore = await moves();
    const first = await post('/points/earn', { card_id: 17, points: 25, reason: 'goodwill' }, { 'Idempotency-Key': 'k-earn-1' });
    const firstBody = await first.json();
    for (let i = 0; i < 3; i++) {
      const again = await post('/points/earn', { card_id: 17, points: 25, reason: 'goodwill' }, { 'Idempotency-Key': 'k-earn-1' });
      expect(again.status).to.equal(first.status);
      expect(await again.json()).to.deep.equal(firstBody);
    }
    const redeems = await Promise.all([1, 2, 3, 4].map(() => post('/points/redeem', { card_id: 17, points: 5, reference: 'r-1' }, { 'Idempotency-Key': 'k-redeem-1' })));
    expect(redeems.map((r) => r.status)).to.deep.equal([201, 201, 201, 201]);
    expect((await balance(17)).points).to.equal(before + 25 - 5);
    expect(await moves()).to.equal(movesBefore + 2);
  });

  it('refuses a reused key with another body, a short balance, bad input and unknown cards, writing nothing', async () => {
    const db = sidecar.ctx.db.knex;
    const count = async () => Number((await db.raw('SELECT count(*) FROM loyalty_point_move')).rows[0].count);
    const n = await count();
    await post('/points/redeem', { card_id: 18, points: 1, reference: 'x' }, { 'Idempotency-Key': 'k-2' });
    const reused = await post('/points/redeem', { card_id: 18, points: 2, reference: 'x' }, { 'Idempotency-Key': 'k-2' });
    expect(reused.status).to.equal(422);
    const short = await post('/points/redeem', { card_id: 18, points: 1e6, reference: 'x' });
    expect(short.status).to.equal(409);
    const bad = await post('/points/redeem', { card_id: 18, points: -5, reference: 'x' });
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).to.equal('invalid_request');
    const extra = await post('/points/earn', { card_id: 18, points: 5, reason: 'x', admin: true });
    expect(extra.status).to.equal(400);
    const missing = await post('/points/redeem', { card_id: 999999, points: 1, reference: 'x' });
    expect(missing.status).to.equal(404);
    expect(await count()).to.equal(n + 1);
  });

  it('refuses users without write access to loyalty cards and requests without credentials', async () => {
    const portal = await fetch(sidecar.url + '/api/v1/points/earn', {
      method: 'POST', body: JSON.stringify({ card_id: 17, points: 5, reason: 'x' }),
      headers: { 'content-type': 'application/json', authorization: basicAuth('portal', 'portal-test') },
    });
    expect(portal.status).to.equal(403);
    const anonymous = await fetch(sidecar.url + '/api/v1/cards/17/balance');
    expect(anonymous.status).to.equal(401);
  });

  it('answers a balance with recent history, serves the OpenAPI document without auth, and counts in /metrics', async () => {
    const b = await balance(17);
    expect(b).to.include.keys('card_id', 'points', 'next_expiry', 'history');
    expect(b.history.length).to.be.greaterThan(0);
    const doc = (await (await fetch(sidecar.url + "/api/v1/openapi.json")).json()) as { openapi: string; paths: object };
    expect(doc.openapi).to.match(/^3\./);
    expect(Object.keys(doc.paths)).to.include.members(['/points/earn', '/points/redeem', '/orders', '/pos-orders/{id}/process', '/cards/{id}/balance']);
    const text = await (await fetch(sidecar.url + '/metrics')).text();
    expect(text).to.match(/sidecar_http_requests_total\{method="POST",route="\/api\/v1\/points\/redeem",status="409"\} \d+/);
    expect(text).to.match(/sidecar_points_moved_total\{kind="redeem"\} \d+/);
  });

  it('serves the ledger as Odoo models through execute_kw: loyalty.point.move and loyalty.point.history', async () => {
    const call = async (model: string, method: string, args: unknown[], kwargs: Record<string, unknown>) => {
      const res = await fetch(sidecar.url + '/jsonrpc', {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { service: 'object', method: 'execute_kw', args: [sidecar.ctx.dbName, 2, 'ledger-test', model, method, args, kwargs] } }),
      });
      return (await res.json()) as { result?: Array<Record<string, unknown>>; error?: unknown };
    };
    const moves = await call('loyalty.point.move', 'search_read', [[['card_id', '=', 16]]], { fields: ['kind', 'points', 'card_id'] });
    expect(moves.error).to.equal(undefined);
    expect(moves.result).to.have.length(1);
    expect(moves.result![0]).to.include({ kind: 'opening', points: 3646 });
    const history = await call('loyalty.point.history', 'search_read', [[['card_id', '=', 16]]], { fields: ['description', 'issued', 'used'] });
    expect(history.result![0]).to.include({ description: 'Opening balance', issued: 3646, used: 0 });
    const write = await call('loyalty.point.move', 'write', [[moves.result![0].id], { points: 1 }], {});
    expect(write.error, 'nobody writes the ledger through the ORM').to.not.equal(undefined);
  });
});

import { expect } from 'chai';
import { Knex } from 'knex';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { basicAuth, cheapPassword, expectLedgerBalanced } from '../helpers/ledger';
import { createOrdersFromUi } from '../../src/orders/pos-ui-order';
import { runJob } from '../../src/jobs/scheduler';
import { onOrderProcessed } from '../../src/orders/hooks';
import { signHook } from '../../src/api/hook-signature';

const SECRET = 'ledger-hook-secret-0123456789';
let seq = 100;

/** A paid POS order in the open session 4, as the POS frontend sends it. */
function uiOrder(partnerId: number | false, lines: Array<{ product_id: number; qty: number; price_unit: number; incl: number; tax?: number; refunded_orderline_id?: number }>) {
  const n = ++seq;
  const total = lines.reduce((s, l) => s + l.incl, 0);
  return {
    id: `00004-001-${n}`,
    data: {
      name: `Order 00004-001-${n}`, amount_paid: total, amount_total: total, amount_tax: 0, amount_return: 0,
      lines: lines.map((l) => [0, 0, {
        qty: l.qty, price_unit: l.price_unit, price_subtotal: l.incl, price_subtotal_incl: l.incl, discount: 0, product_id: l.product_id,
        tax_ids: [[6, false, l.tax === undefined ? [1] : [l.tax]]], full_product_name: 'line', price_extra: 0,
        ...(l.refunded_orderline_id ? { refunded_orderline_id: l.refunded_orderline_id } : {}),
      }]),
      statement_ids: [[0, 0, { name: '2026-11-22 10:00:00', payment_method_id: 2, amount: total }]],
      pos_session_id: 4, pricelist_id: false, partner_id: partnerId, user_id: 2, uid: `00004-001-${n}`, sequence_number: n,
      date_order: '2026-11-22 10:00:00', fiscal_position_id: false, server_id: false, to_invoice: false,
    },
  };
}

describe('ledger: paid POS orders', () => {
  let sidecar: TestSidecar;
  let db: Knex;
  const auth = basicAuth('admin', 'ledger-test');
  const createOrder = async (order: ReturnType<typeof uiOrder>) => {
    const [id] = await db.transaction((cr) => createOrdersFromUi(cr, 2, [order], false, new Date()));
    return id;
  };
  const hook = (body: string, signature?: string, timestamp = Math.floor(Date.now() / 1000)) => fetch(sidecar.url + '/hooks/pos-order', {
    method: 'POST', body,
    headers: { 'content-type': 'application/json', 'X-Sidecar-Timestamp': String(timestamp), 'X-Sidecar-Signature': signature ?? signHook(SECRET, timestamp, body) },
  });
  const apiProcess = (id: number, key?: string) => fetch(`${sidecar.url}/api/v1/pos-orders/${id}/process`, {
    method: 'POST', headers: { authorization: auth, ...(key ? { 'Idempotency-Key': key } : {}) },
  });
  const movesOf = async (orderId: number) => (await db.raw(`
    SELECT card_id, kind, points::float8 AS points FROM loyalty_point_move WHERE pos_order_id = ? ORDER BY card_id, kind`, [orderId])).rows as
    Array<{ card_id: number; kind: string; points: number }>;
  const points = async (cardId: number) => (await db('loyalty_card').where({ id: cardId }).first('points')).points as number;

  before(async () => {
    sidecar = await startTestSidecar('odoo17', { hookSecret: SECRET });
    db = sidecar.ctx.db.knex;
    await cheapPassword(db, 'admin', 'ledger-test');
  });
  after(async () => sidecar?.close());
  afterEach(async () => expectLedgerBalanced(db));

  it('a paid order processed from a hook, then by the sweep, then by the API earns once', async () => {
    const seen: number[] = [];
    onOrderProcessed(async (events) => { for (const e of events) if (e.posOrderId) seen.push(e.posOrderId); });
    const before = await points(17);
    const id = await createOrder(uiOrder(64, [{ product_id: 5, qty: 2, price_unit: 70, incl: 161 }]));

    const viaHook = await hook(JSON.stringify({ id }));
    expect(viaHook.status).to.equal(201);
    const moves = await movesOf(id);
    expect(moves.find((m) => m.card_id === 17)).to.deep.equal({ card_id: 17, kind: 'earn', points: 161 });
    const after = await points(17);
    expect(after).to.equal(before + 161);

    const sweep = await runJob(sidecar.ctx, 'points-sweep');
    expect(sweep).to.deep.include({ ran: true });
    const viaApi = await apiProcess(id);
    expect(viaApi.status).to.equal(200);
    expect(((await viaApi.json()) as { processed: boolean }).processed).to.equal(false);
    expect(await hook(JSON.stringify({ id }))).to.have.property('status', 200);

    expect(await points(17)).to.equal(after);
    expect(await movesOf(id)).to.deep.equal(moves);
    expect(seen.filter((x) => x === id)).to.have.length(1);
    const source = (await db('sidecar_processed_order').where({ pos_order_id: id }).first('source')).source;
    expect(source).to.equal('hook');
  });

  it('the sweep processes paid orders no hook brought, and leaves the ones paid before the sidecar came', async () => {
    const id = await createOrder(uiOrder(65, [{ product_id: 5, qty: 1, price_unit: 70, incl: 80.5 }]));
    const before = await points(18);
    const out = await runJob(sidecar.ctx, 'points-sweep');
    expect(out).to.deep.include({ ran: true });
    expect((out as unknown as { result: { processed: number } }).result.processed).to.equal(1);
    expect(await points(18)).to.equal(before + 80.5);
    // Orders 1-28 of the dump were counted in the opening balances.
    const old = await db('loyalty_point_move').whereBetween('pos_order_id', [1, 28]).count<{ count: string }[]>({ count: '*' });
    expect(Number(old[0].count)).to.equal(0);
  });

  it('refuses a bad signature with 401 and processes nothing', async () => {
    const id = await createOrder(uiOrder(66, [{ product_id: 5, qty: 1, price_unit: 70, incl: 80.5 }]));
    const bad = await hook(JSON.stringify({ id }), 'sha256=' + '0'.repeat(64));
    expect(bad.status).to.equal(401);
    const unsigned = await fetch(sidecar.url + '/hooks/pos-order', { method: 'POST', body: JSON.stringify({ id }) });
    expect(unsigned.status).to.equal(401);
    // A correctly signed hook whose timestamp is outside the 5-minute window: a replay.
    const stale = await hook(JSON.stringify({ id }), undefined, Math.floor(Date.now() / 1000) - 301);
    expect(stale.status).to.equal(401);
    expect(((await stale.json()) as { error: { code: string } }).error.code).to.equal('stale_hook');
    // The signature covers the timestamp: a fresh timestamp on an old signature does not pass.
    const old = Math.floor(Date.now() / 1000) - 400;
    const moved = await hook(JSON.stringify({ id }), signHook(SECRET, old, JSON.stringify({ id })));
    expect(moved.status).to.equal(401);
    expect(await db('sidecar_processed_order').where({ pos_order_id: id }).first()).to.equal(undefined);
    // Retried 3 times with one Idempotency-Key through the API: processed once, the same answer each time.
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await (await apiProcess(id, 'proc-' + id)).json());
    expect(answers[1]).to.deep.equal(answers[0]);
    expect(answers[2]).to.deep.equal(answers[0]);
    expect((await movesOf(id)).filter((m) => m.card_id === 19)).to.deep.equal([{ card_id: 19, kind: 'earn', points: 80.5 }]);
  });

  it('a refund of half an order takes back exactly half of what it earned, once', async () => {
    const id = await createOrder(uiOrder(64, [{ product_id: 5, qty: 2, price_unit: 70, incl: 161 }]));
    expect((await apiProcess(id)).status).to.equal(201);
    const earned = (await movesOf(id)).filter((m) => m.kind === 'earn');
    expect(earned.length).to.be.greaterThan(0);
    const lineId = (await db('pos_order_line').where({ order_id: id }).first('id')).id;
    const balances = new Map<number, number>();
    for (const m of earned) balances.set(m.card_id, await points(m.card_id));

    const refund = await createOrder(uiOrder(64, [{ product_id: 5, qty: -1, price_unit: 70, incl: -80.5, refunded_orderline_id: lineId }]));
    expect((await apiProcess(refund)).status).to.equal(201);
    expect((await apiProcess(refund)).status).to.equal(200);
    const reversed = await movesOf(refund);
    expect(reversed.map((m) => ({ card_id: m.card_id, points: m.points }))).to.deep.equal(earned.map((m) => ({ card_id: m.card_id, points: -Math.round(m.points * 50) / 100 })));
    expect(reversed.every((m) => m.kind === 'refund')).to.equal(true);
    for (const m of earned) expect(await points(m.card_id)).to.be.closeTo(balances.get(m.card_id)! - m.points / 2, 1e-9);

    // The other half, then a third refund of the same line: never more than the whole.
    const second = await createOrder(uiOrder(64, [{ product_id: 5, qty: -1, price_unit: 70, incl: -80.5, refunded_orderline_id: lineId }]));
    expect((await apiProcess(second)).status).to.equal(201);
    const third = await createOrder(uiOrder(64, [{ product_id: 5, qty: -1, price_unit: 70, incl: -80.5, refunded_orderline_id: lineId }]));
    expect((await apiProcess(third)).status).to.equal(201);
    expect(await movesOf(third)).to.deep.equal([]);
    for (const m of earned) expect(await points(m.card_id)).to.be.closeTo(balances.get(m.card_id)! - m.points, 1e-9);
  });

  it('a refund gives back what the original order spent, in proportion', async () => {
    const before = await points(17);
    // Two desks paid with 400 points of Retail Club (reward 15: $0.05 per point → $20).
    const order = uiOrder(64, [{ product_id: 19, qty: 2, price_unit: 1799, incl: 4137.7 }]);
    (order.data.lines as unknown[]).push([0, 0, {
      qty: 1, price_unit: -20, price_subtotal: -20, price_subtotal_incl: -23, discount: 0, product_id: 76, tax_ids: [[6, false, [1]]],
      full_product_name: 'reward', price_extra: 0, is_reward_line: true, reward_id: 15, coupon_id: 17, reward_identifier_code: 'r1', points_cost: 400,
    }]);
    const id = await createOrder(order);
    expect((await apiProcess(id)).status).to.equal(201);
    const redeem = (await movesOf(id)).find((m) => m.card_id === 17 && m.kind === 'redeem');
    expect(redeem?.points).to.equal(-400);
    const earn = (await movesOf(id)).find((m) => m.card_id === 17 && m.kind === 'earn')!.points;
    expect(await points(17)).to.be.closeTo(before + earn - 400, 1e-9);
    const lineId = (await db('pos_order_line').where({ order_id: id, product_id: 19 }).first('id')).id;
    const refund = await createOrder(uiOrder(64, [{ product_id: 19, qty: -1, price_unit: 1799, incl: -2068.85, refunded_orderline_id: lineId }]));
    expect((await apiProcess(refund)).status).to.equal(201);
    const back = (await movesOf(refund)).filter((m) => m.card_id === 17).map((m) => m.points).sort((a, b) => a - b);
    expect(back).to.deep.equal([-Math.round(earn * 50) / 100, 200]);
  });

  it('an external order is evaluated by the engine and applied once per reference', async () => {
    const before = await points(18);
    const body = { reference: 'WEB-1001', partner_id: 65, date_order: '2026-11-22', lines: [{ product_id: 5, qty: 2, price_unit: 70, tax_ids: [1] }] };
    const send = (key?: string) => fetch(`${sidecar.url}/api/v1/orders`, {
      method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', authorization: auth, ...(key ? { 'Idempotency-Key': key } : {}) },
    });
    const first = await send('web-1001');
    expect(first.status).to.equal(201);
    const result = (await first.json()) as { processed: boolean; result: { cards: Array<{ card_id: number; won: number }> } };
    expect(result.processed).to.equal(true);
    expect(result.result.cards.find((c) => c.card_id === 18)).to.deep.include({ won: 161 });
    for (let i = 0; i < 3; i++) expect((await send('web-1001')).status).to.equal(201);
    const again = await send();
    expect(again.status).to.equal(200);
    expect(((await again.json()) as { processed: boolean }).processed).to.equal(false);
    expect(await points(18)).to.equal(before + 161);
    const moves = (await db.raw(`SELECT count(*)::int AS n FROM loyalty_point_move WHERE reference = 'WEB-1001' AND card_id = 18`)).rows[0].n;
    expect(moves).to.equal(1);
    const bad = await fetch(`${sidecar.url}/api/v1/orders`, {
      method: 'POST', body: JSON.stringify({ ...body, reference: 'WEB-1002', lines: [] }), headers: { 'content-type': 'application/json', authorization: auth },
    });
    expect(bad.status).to.equal(400);
  });

  it('the sweep turns a change Odoo made to a card behind the sidecar\'s back into an adjust move', async () => {
    await db.raw('UPDATE loyalty_card SET points = points + 7.5 WHERE id = 20');
    await db.raw(`INSERT INTO loyalty_card (program_id, company_id, partner_id, code, points) VALUES (15, 1, 73, 'ODOO-MADE', 12)`);
    const out = await runJob(sidecar.ctx, 'points-sweep');
    expect((out as unknown as { result: { adjusted: number; opened: number } }).result).to.deep.include({ adjusted: 1, opened: 1 });
    const adjust = (await db.raw(`SELECT points::float8 AS points, reason FROM loyalty_point_move WHERE card_id = 20 AND kind = 'adjust'`)).rows;
    expect(adjust).to.deep.equal([{ points: 7.5, reason: 'reconciliation' }]);
    const again = await runJob(sidecar.ctx, 'points-sweep');
    expect((again as unknown as { result: { adjusted: number; opened: number } }).result).to.deep.include({ adjusted: 0, opened: 0 });
  });

  it('a POS order carrying a promo-code reward: the code is read back from the reward, the card created and linked', async () => {
    const order = uiOrder(63, [{ product_id: 35, qty: 1, price_unit: 1500, incl: 1725 }]);
    (order.data.lines as unknown[]).push([0, 0, {
      qty: 1, price_unit: -225, price_subtotal: -225, price_subtotal_incl: -258.75, discount: 0, product_id: 72, tax_ids: [[6, false, [1]]],
      full_product_name: 'VIP15', price_extra: 0, is_reward_line: true, reward_id: 11, coupon_id: -1, reward_identifier_code: 'vip', points_cost: 1,
    }]);
    const id = await createOrder(order);
    expect((await apiProcess(id)).status).to.equal(201);
    const card = await db('loyalty_card').where({ source_pos_order_id: id, program_id: 11 }).first('id', 'points', 'partner_id');
    expect(card).to.include({ points: 0, partner_id: null });
    expect((await movesOf(id)).filter((m) => m.card_id === card.id).map((m) => [m.kind, m.points])).to.deep.equal([['earn', 1], ['redeem', -1]]);
    const line = await db('pos_order_line').where({ order_id: id, reward_id: 11 }).first('coupon_id');
    expect(line.coupon_id).to.equal(card.id);
  });

  it('processes an order once when the hook, the sweep and the API race for it', async () => {
    const id = await createOrder(uiOrder(66, [{ product_id: 5, qty: 1, price_unit: 70, incl: 80.5 }]));
    const before = await points(19);
    const answers = await Promise.all([
      hook(JSON.stringify({ id })), apiProcess(id), hook(JSON.stringify({ id })), runJob(sidecar.ctx, 'points-sweep'), apiProcess(id),
    ]);
    const statuses = answers.filter((a): a is Response => a instanceof Response).map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201).length).to.be.at.most(1);
    expect(await points(19)).to.equal(before + 80.5);
    expect((await movesOf(id)).filter((m) => m.card_id === 19)).to.deep.equal([{ card_id: 19, kind: 'earn', points: 80.5 }]);
  });

  it('concurrent hooks are processed together, each order once, each request answered for its own order', async () => {
    const sizes: number[] = [];
    onOrderProcessed(async (events) => { sizes.push(events.length); });
    const ids: number[] = [];
    for (const partner of [63, 64, 65, 66, 67, 68, 69, 70, 64, 65]) ids.push(await createOrder(uiOrder(partner, [{ product_id: 5, qty: 1, price_unit: 70, incl: 80.5 }])));
    // Each order hooked twice, all at once: one 201 (processed now) and one 200 (already processed) per order.
    const answers = await Promise.all([...ids, ...ids].map((id) => hook(JSON.stringify({ id })).then(async (r) => ({ id, status: r.status, body: await r.json() as { pos_order_id: number } }))));
    for (const id of ids) expect(answers.filter((a) => a.id === id).map((a) => a.status).sort()).to.deep.equal([200, 201]);
    expect(answers.every((a) => a.body.pos_order_id === a.id)).to.equal(true);
    const earns = (await db.raw(`SELECT pos_order_id, card_id, count(*)::int AS n FROM loyalty_point_move WHERE pos_order_id = ANY(?) AND kind = 'earn' GROUP BY 1, 2`, [ids])).rows;
    expect(earns.filter((e: { n: number }) => e.n !== 1)).to.deep.equal([]);
    expect(new Set(earns.map((e: { pos_order_id: number }) => e.pos_order_id)).size).to.equal(ids.length);
    // The requests that arrived while a batch ran went together in the next one.
    expect(Math.max(...sizes)).to.be.greaterThan(1);
  });

  it('a POS order earns only from the programs of its point of sale', async () => {
    // "15% on next order" (program 5) is restricted to point of sale 1; move it to another one.
    await db.raw(`INSERT INTO pos_config (name, picking_type_id, company_id, iface_tax_included, picking_policy)
                  SELECT 'Other shop', picking_type_id, company_id, iface_tax_included, picking_policy FROM pos_config WHERE id = 1 RETURNING id`)
      .then((r) => db('loyalty_program_pos_config_rel').where({ loyalty_program_id: 5 }).update({ pos_config_id: r.rows[0].id }));
    const id = await createOrder(uiOrder(64, [{ product_id: 5, qty: 2, price_unit: 70, incl: 161 }]));
    expect((await apiProcess(id)).status).to.equal(201);
    const programs = (await db.raw(`SELECT DISTINCT c.program_id FROM loyalty_point_move m JOIN loyalty_card c ON c.id = m.card_id WHERE m.pos_order_id = ?`, [id])).rows.map((r: { program_id: number }) => r.program_id);
    expect(programs).to.include(15);
    expect(programs).to.not.include(5);
  });
});

/**
 * The recorded Odoo 17 engine cases (../shared/odoo17/engine/cases.jsonl), replayed through
 * the preview on a fresh copy of engine-db: in process (loader + engine) and over REST.
 * Cases noted `quirk:` record Odoo's line-reuse defect (a reused free-product line keeps its
 * 100% discount); the engine reproduces Odoo there, so they are compared like the others.
 */
import { ClaimInput } from '../../src/engine/types';
import { expect } from 'chai';
import { Knex, knex } from 'knex';
import { hashPassword } from '../../src/auth/password';
import { loyaltyPreview } from '../../src/models/loyalty/preview';
import { clearLoyaltyCache } from '../../src/models/loyalty/load';
import { computeOrderPoints } from '../../src/orders/engine';
import { SoldOrder } from '../../src/orders/types';
import { decodeMethodResponse, encodeMethodCall } from '../../src/rpc/xml/codec';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { compareCase, EngineCase, loadCases } from './compare';
import { copyRows } from '../helpers/copy-rows';

const cases: EngineCase[] = loadCases();

/** The preview in process, in a transaction of its own as an RPC call would run it. */
const previewIn = (sidecar: TestSidecar, request: unknown) =>
  sidecar.ctx.db.knex.transaction((cr) => loyaltyPreview({ cr, uid: 2, context: {}, app: sidecar.ctx }, request));

function summary(label: string, failures: string[]): void {
  process.stdout.write(`      engine corpus ${label}: ${cases.length - failures.length} passed, ${failures.length} failed\n`);
}

describe('engine corpus (467 recorded Odoo 17 cases)', function () {
  this.timeout(180_000);
  let sidecar: TestSidecar;
  let db: Knex;
  let auth: string;

  before(async () => {
    sidecar = await startTestSidecar('engine');
    db = knex({ client: 'pg', connection: sidecar.database.url, pool: { min: 0, max: 2 } });
    // The dump's 600k-round hashes cost ~0.3 s per REST call; the test's own copy gets a cheap one.
    await db('res_users').where({ login: 'admin' }).update({ password: await hashPassword('admin', 1000) });
    auth = 'Basic ' + Buffer.from('admin:admin').toString('base64');
  });
  after(async () => {
    await db?.destroy();
    await sidecar?.close();
  });

  it('matches every case in process (loader + engine)', async () => {
    const failures: string[] = [];
    for (const c of cases) {
      const diffs = compareCase(c.expect, (await previewIn(sidecar, c.request)) as never);
      if (diffs.length) failures.push(`${c.id} (${c.note}): ${diffs.slice(0, 3).join('; ')}`);
    }
    summary('in process', failures);
    expect(failures).to.deep.equal([]);
  });

  it('matches every case over REST (POST /api/v1/orders/preview)', async () => {
    const failures: string[] = [];
    for (const c of cases) {
      const res = await fetch(`${sidecar.url}/api/v1/orders/preview`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: auth },
        body: JSON.stringify(c.request),
      });
      const body = (await res.json()) as Record<string, any>;
      const diffs = res.status === 200 ? compareCase(c.expect, body) : [`HTTP ${res.status} ${JSON.stringify(body)}`];
      if (diffs.length) failures.push(`${c.id} (${c.note}): ${diffs.slice(0, 3).join('; ')}`);
    }
    summary('over REST', failures);
    expect(failures).to.deep.equal([]);
  });

  it('matches every case over XML-RPC (execute_kw pos.order loyalty_preview)', async () => {
    const failures: string[] = [];
    const dbName = sidecar.ctx.dbName;
    for (const c of cases) {
      const res = await fetch(`${sidecar.url}/xmlrpc/2/object`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body: encodeMethodCall('execute_kw', [dbName, 2, 'admin', 'pos.order', 'loyalty_preview', [c.request]]),
      });
      const answer = decodeMethodResponse(await res.text());
      const diffs = 'result' in answer ? compareCase(c.expect, answer.result as Record<string, any>) : [`fault ${JSON.stringify(answer.fault)}`];
      if (diffs.length) failures.push(`${c.id} (${c.note}): ${diffs.slice(0, 3).join('; ')}`);
    }
    summary('over XML-RPC', failures);
    expect(failures).to.deep.equal([]);
  });

  it('answers a refused claim over XML-RPC with a UserError fault (code 2)', async () => {
    const res = await fetch(`${sidecar.url}/xmlrpc/2/object`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: encodeMethodCall('execute_kw', [sidecar.ctx.dbName, 2, 'admin', 'pos.order', 'loyalty_preview', [{
        partner_id: 64, date_order: '2026-11-22', lines: [{ product_id: 35, qty: 1, price_unit: 1500, tax_ids: [1] }],
        rewards: [{ reward_id: 9, coupon_id: false }],
      }]]),
    });
    const answer = decodeMethodResponse(await res.text());
    expect(answer).to.have.property('fault');
    expect((answer as { fault: { code: unknown } }).fault.code).to.equal(2);
  });

  it('settles every corpus order with its claims to the points Odoo recorded (the ledger\'s path)', async () => {
    const failures: string[] = [];
    for (const c of cases) {
      const { order, claims } = soldOrderOf(c);
      const out = await sidecar.ctx.db.knex.transaction((cr) => computeOrderPoints(cr, sidecar.ctx, order, 'sale', claims));
      const got = compareCase(c.expect, { ...c.expect, points: out.rows.map((x) => ({ program_id: x.programId, won: x.won, spent: x.spent })) })
        .filter((d) => d.startsWith('points'));
      if (out.refused.length) got.push(`refused ${JSON.stringify(out.refused)}`);
      if (got.length) failures.push(`${c.id}: ${got.join('; ')}`);
    }
    summary('settled with their claims', failures);
    expect(failures).to.deep.equal([]);
  });

  it('settles through the ledger\'s entry point (a connection of its own, the service\'s context), cold cache included', async () => {
    clearLoyaltyCache();
    const c = cases.find((x) => (x.request as Record<string, any>).rewards.length > 0 && !x.note.includes('quirk'))!;
    const { order, claims } = soldOrderOf(c);
    const out = await computeOrderPoints(db, sidecar.ctx, order, 'sale', claims);
    const diffs = compareCase(c.expect, { ...c.expect, points: out.rows.map((x) => ({ program_id: x.programId, won: x.won, spent: x.spent })) });
    expect(diffs).to.deep.equal([]);
  });

  it('writes nothing', async () => {
    const count = async () => (await db.raw(`select (select count(*) from loyalty_card) || '/' || (select coalesce(sum(points), 0) from loyalty_card) || '/' || (select count(*) from sale_order_line) as s`)).rows[0].s;
    const before = await count();
    await previewIn(sidecar, cases[0].request);
    expect(await count()).to.equal(before);
  });
});

describe('order preview: bad input', function () {
  this.timeout(60_000);
  let sidecar: TestSidecar;
  let auth: string;
  const post = async (body: unknown) => {
    const res = await fetch(`${sidecar.url}/api/v1/orders/preview`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  before(async () => {
    sidecar = await startTestSidecar('engine');
    const db = knex({ client: 'pg', connection: sidecar.database.url, pool: { min: 0, max: 1 } });
    await db('res_users').where({ login: 'admin' }).update({ password: await hashPassword('admin', 1000) });
    await db.destroy();
    auth = 'Basic ' + Buffer.from('admin:admin').toString('base64');
  });
  after(async () => sidecar?.close());

  const order = (over: Record<string, unknown> = {}) => ({
    partner_id: 64, date_order: '2026-11-22', lines: [{ product_id: 35, qty: 1, price_unit: 1500, discount: 0, tax_ids: [1] }], ...over,
  });

  it('refuses unknown products, negative quantities and malformed orders with 400', async () => {
    for (const bad of [
      order({ lines: [{ product_id: 999999, qty: 1, price_unit: 1 }] }),
      order({ lines: [{ product_id: 35, qty: -1, price_unit: 1500 }] }),
      order({ lines: 'nope' }),
      order({ partner_id: 999999 }),
      order({ codes: [42] }),
    ]) {
      const r = await post(bad);
      expect(r.status, JSON.stringify(bad)).to.equal(400);
      expect(r.body.error.code).to.equal('invalid_order');
    }
  });

  it('refuses a reward the order cannot claim with 422', async () => {
    // Reward 9 (cheapest free) needs 3 furniture units; a single desk gives none.
    const r = await post(order({ rewards: [{ reward_id: 9, coupon_id: false }] }));
    expect(r.status).to.equal(422);
    expect(r.body.error.code).to.equal('reward_not_claimable');
  });

  it('reports a code entered twice in errors, as Odoo does, and applies it once', async () => {
    const r = await post(order({ codes: ['VIP15', 'VIP15'] }));
    expect(r.status).to.equal(200);
    expect(r.body.errors.map((e: { code: string }) => e.code)).to.deep.equal(['code_already_applied']);
    expect(r.body.code_results).to.deep.equal([{ code: 'VIP15', ok: true }, { code: 'VIP15', ok: false }]);
  });

  it('uses POS-enabled programs when channel is pos', async () => {
    // Program 18 "Online only: 5% off" is sale_ok but not pos_ok.
    const programs = (r: { body: { claimable: { program_id: number }[] } }) => new Set(r.body.claimable.map((c) => c.program_id));
    expect(programs(await post(order())).has(18)).to.equal(true);
    expect(programs(await post(order({ channel: 'pos' }))).has(18)).to.equal(false);
    expect((await post(order({ channel: 'web' }))).status).to.equal(400);
  });

  it('sees a product deleted or re-priced after the catalogue was cached, at the next request', async () => {
    const db = knex({ client: 'pg', connection: sidecar.database.url, pool: { min: 0, max: 1 } });
    try {
      // A product no order has used yet, copied from product 35 so that its taxes follow.
      const { product_tmpl_id: tmpl35 } = await db('product_product').where({ id: 35 }).first('product_tmpl_id');
      const now = new Date().toISOString();
      const [tmpl] = await copyRows(db, 'product_template', tmpl35, [{ list_price: 100, write_date: now }]);
      const [product] = await copyRows(db, 'product_product', 35, [{ product_tmpl_id: tmpl, write_date: now }]);
      const line = (qty: number) => ({ lines: [{ product_id: product, qty, price_unit: 100 }] });
      // Another product written later: deleting the new one then leaves max(write_date) where it is.
      await db.raw(`update product_product set write_date = now() + interval '1 second' where id = 35`);
      expect((await post(order(line(1)))).status).to.equal(200); // cached now
      // Odoo deletes a product that no order line names: the stamp does not move.
      await db('product_product').where({ id: product }).delete();
      const gone = await post(order(line(1)));
      expect(gone.status).to.equal(400);
      expect(gone.body.error.message).to.contain(`product ${product} does not exist`);
      // A write moves write_date: the catalogue is rebuilt (here: product 35 loses its taxes).
      await db.raw(`update product_template set write_date = now() where id = (select product_tmpl_id from product_product where id = 35)`);
      const taxes = await db('product_taxes_rel').where({ prod_id: db.raw('(select product_tmpl_id from product_product where id = 35)') }).select();
      await db('product_taxes_rel').where({ prod_id: taxes[0].prod_id }).delete();
      await db.raw(`update product_template set write_date = now() + interval '1 second' where id = ?`, [taxes[0].prod_id]);
      try {
        const r = await post(order({ lines: [{ product_id: 35, qty: 1, price_unit: 1500 }] }));
        expect(r.body.lines[0].tax_ids).to.deep.equal([]);
      } finally {
        await db('product_taxes_rel').insert(taxes);
        await db.raw(`update product_template set write_date = now() + interval '2 seconds' where id = ?`, [taxes[0].prod_id]);
      }
    } finally {
      await db.destroy();
    }
  });

  it('takes the product taxes when tax_ids is absent', async () => {
    const r = await post(order({ lines: [{ product_id: 35, qty: 1, price_unit: 1500 }] }));
    expect(r.body.lines[0].tax_ids).to.deep.equal([1]);
    expect(r.body.amount_total).to.equal(1725);
  });
});

/** A corpus case as a sold order with its claims, the way the ledger hands orders to the engine. */
function soldOrderOf(c: { id: string; request: unknown }): { order: SoldOrder; claims: ClaimInput[] } {
  const r = c.request as Record<string, any>;
  const order: SoldOrder = {
    posOrderId: null, reference: null, name: c.id, state: 'paid', partnerId: r.partner_id || null, companyId: 1,
    dateOrder: `${r.date_order} 10:00:00`, codes: r.codes,
    lines: r.lines.map((l: Record<string, any>) => ({
      id: null, productId: l.product_id, qty: l.qty, priceUnit: l.price_unit, discount: l.discount ?? 0, taxIds: l.tax_ids ?? null,
      priceSubtotalIncl: 0, isRewardLine: false, rewardId: null, couponId: null, pointsCost: 0, refundedOrderlineId: null,
    })),
  };
  const claims = r.rewards.map((x: Record<string, any>) => ({ rewardId: x.reward_id, couponId: x.coupon_id || null, productId: x.product_id || null }));
  return { order, claims };
}

/**
 * The signed hooks the bridge addon sends (src/api/hook-*.ts), over real HTTP: what each does,
 * as which user, once; and what they refuse, changing nothing.
 */
import { expect } from 'chai';
import { Knex } from 'knex';
import { signHook } from '../../src/api/hook-signature';
import { createOrdersFromUi } from '../../src/orders/pos-ui-order';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { expectLedgerBalanced } from '../helpers/ledger';
import { tillOrder } from '../helpers/bridge';

const SECRET = 'hooks-test-secret-0123456789';

describe('bridge: signed hooks', () => {
  let sidecar: TestSidecar;
  let db: Knex;
  const hook = async (path: string, body: unknown, secret = SECRET) => {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(`${sidecar.url}/hooks/${path}`, {
      method: 'POST', body: raw,
      headers: { 'content-type': 'application/json', 'X-Sidecar-Timestamp': String(ts), 'X-Sidecar-Signature': signHook(secret, ts, raw) },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const sell = async (partnerId: number, qty = 2) =>
    (await db.transaction((cr) => createOrdersFromUi(cr, 2, [tillOrder(partnerId, [{ product_id: 5, qty, price_unit: 70 }])], false, new Date())))[0];
  const count = async (table: string) => Number((await db(table).count('* as n'))[0].n);

  before(async () => {
    sidecar = await startTestSidecar('odoo17', { hookSecret: SECRET });
    db = sidecar.ctx.db.knex;
    await db('loyalty_program').where({ id: 15 }).update({ is_primary_loyalty: true });
  });
  after(async () => sidecar?.close());
  afterEach(async () => expectLedgerBalanced(db));

  it('ping answers the database it serves; a wrong secret is refused', async () => {
    expect(await hook('ping', {})).to.deep.equal({ status: 200, body: { ok: true, db: sidecar.ctx.dbName, mode: 'attached' } });
    expect((await hook('ping', {}, 'another-secret-0123456789')).status).to.equal(401);
  });

  it('partner-created: the primary program\'s card and a referral code, written as the acting user, once', async () => {
    const [{ id }] = await db('res_partner').insert({ name: 'Hooked', active: true, create_date: db.raw("now() at time zone 'utc'") }).returning('id');
    expect(await hook('partner-created', { ids: [id], uid: 6 })).to.deep.equal({ status: 201, body: { cards: 1, referral_codes: 1 } });
    const card = await db('loyalty_card').where({ partner_id: id }).first('program_id', 'create_uid', 'points');
    expect(card).to.deep.equal({ program_id: 15, create_uid: 6, points: 0 });
    const code = (await db('res_partner').where({ id }).first('referral_code')).referral_code;
    expect(code).to.match(/^[A-Z2-9]{8}$/);
    expect(await hook('partner-created', { ids: [id], uid: 6 })).to.deep.equal({ status: 200, body: { cards: 0, referral_codes: 0 } });
    expect((await db('res_partner').where({ id }).first('referral_code')).referral_code).to.equal(code);
  });

  it('pos-order: several paid orders in one hook, processed as the user who paid, once', async () => {
    const a = await sell(64);
    const b = await sell(65);
    const first = await hook('pos-order', { ids: [a, b], uid: 6 });
    expect(first.status).to.equal(201);
    expect((first.body.orders as Array<{ processed: boolean }>).map((o) => o.processed)).to.deep.equal([true, true]);
    expect(await db('loyalty_point_move').whereIn('pos_order_id', [a, b]).distinct('create_uid').pluck('create_uid')).to.deep.equal([6]);
    const again = await hook('pos-order', { ids: [a, b], uid: 6 });
    expect(again.status).to.equal(200);
    expect((again.body.orders as Array<{ processed: boolean }>).map((o) => o.processed)).to.deep.equal([false, false]);
  });

  it('with "wait": false (what the addon sends after Odoo\'s commit) a hook is accepted at once and done in the background', async () => {
    const id = await sell(66);
    const [{ id: partner }] = await db('res_partner').insert({ name: 'Hooked Later', active: true }).returning('id');
    expect(await hook('pos-order', { ids: [id], uid: 2, wait: false })).to.deep.equal({ status: 202, body: { accepted: true } });
    expect(await hook('partner-created', { ids: [partner], uid: 2, wait: false })).to.deep.equal({ status: 202, body: { accepted: true } });
    for (let i = 0; i < 100 && !(await db('sidecar_processed_order').where({ pos_order_id: id }).first()); i++) await new Promise((r) => setTimeout(r, 20));
    expect((await db('sidecar_processed_order').where({ pos_order_id: id }).first('source')).source).to.equal('hook');
    for (let i = 0; i < 100 && !(await db('res_partner').where({ id: partner }).first('referral_code')).referral_code; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await db('res_partner').where({ id: partner }).first('referral_code')).referral_code).to.match(/^[A-Z2-9]{8}$/);
  });

  it('pos-coupons: the till\'s validate and confirm answered by the sidecar, with Odoo\'s answer shapes', async () => {
    const valid = await hook('pos-coupons', { method: 'validate_coupon_programs', ids: [], args: [{ 17: -100 }, []], uid: 2 });
    expect(valid).to.deep.equal({ status: 200, body: { result: { successful: true, payload: {} } } });
    const short = await hook('pos-coupons', { method: 'validate_coupon_programs', ids: [], args: [{ 17: -1e9 }, []], uid: 2 });
    expect(short.body.result).to.deep.include({ successful: false });
    const id = await sell(64);
    const before = (await db('loyalty_card').where({ id: 17 }).first('points')).points;
    const confirm = await hook('pos-coupons', { method: 'confirm_coupon_programs', ids: [id], args: [{ 17: { points: 161, program_id: 15, coupon_id: 17, barcode: false, partner_id: 64 } }], uid: 2 });
    expect(confirm.status).to.equal(200);
    const updates = (confirm.body.result as { coupon_updates: Array<{ id: number; points: number }> }).coupon_updates;
    expect(updates.find((u) => u.id === 17)).to.deep.include({ old_id: 17, points: before + 161 });
    expect((await db('sidecar_processed_order').where({ pos_order_id: id }).first('source')).source).to.equal('pos');
  });

  it('pos-coupons: an error is answered in Odoo\'s shape (the addon then lets Odoo answer), writing nothing', async () => {
    const moves = await count('loyalty_point_move');
    const missing = await hook('pos-coupons', { method: 'confirm_coupon_programs', ids: [999999], args: [{}], uid: 2 });
    expect(missing.status).to.equal(422);
    expect((missing.body.error as { data: { name: string } }).data.name).to.equal('odoo.exceptions.MissingError');
    expect(await count('loyalty_point_move')).to.equal(moves);
  });

  it('refuses bad input with a clear 4xx and changes nothing', async () => {
    const before = { moves: await count('loyalty_point_move'), cards: await count('loyalty_card'), runs: await count('sidecar_job_run') };
    const cases: Array<[string, unknown, number, string]> = [
      ['pos-order', 'not json', 400, 'invalid_json'],
      ['pos-order', [1, 2], 400, 'invalid_request'],
      ['pos-order', { ids: [] }, 400, 'invalid_request'],
      ['pos-order', { ids: ['1'] }, 400, 'invalid_request'],
      ['pos-order', { ids: [1.5] }, 400, 'invalid_request'],
      ['pos-order', { id: 2 ** 40 }, 400, 'invalid_request'],
      ['partner-created', { ids: [1], uid: 999999 }, 400, 'unknown_user'],
      ['partner-created', { ids: [1], uid: -1 }, 400, 'invalid_request'],
      ['pos-coupons', { method: 'unlink', ids: [], args: [] }, 400, 'invalid_request'],
      ['pos-coupons', { method: 'confirm_coupon_programs', ids: 5, args: [] }, 400, 'invalid_request'],
      ['job', { job: 'drop-everything' }, 404, 'unknown_job'],
      ['no-such-hook', {}, 404, 'not_found'],
    ];
    for (const [path, body, status, code] of cases) {
      const res = await hook(path, body);
      expect([res.status, (res.body.error as { code: string }).code], `${path} ${JSON.stringify(body)}`).to.deep.equal([status, code]);
    }
    expect({ moves: await count('loyalty_point_move'), cards: await count('loyalty_card'), runs: await count('sidecar_job_run') }).to.deep.equal(before);
  });
});

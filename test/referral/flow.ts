/**
 * The referral flow over the wire (JSON-RPC execute_kw as the demo POS user, REST as admin),
 * run against a sidecar on the recorded Odoo 17 dump and on a standalone seeded database
 * (the same demo rows, the same ids). The referral program is a copy of the demo's loyalty
 * program "Retail Club" (15) without its rules (so it earns nothing by itself) whose
 * referral_points is 50; the referrer, Willie Burke (16), has no card in it yet.
 */
import { expect } from 'chai';
import { WireTarget } from '../helpers/sidecar';
import { odooJsonRpc } from '../helpers/odoo';
import { basicAuth, cheapPassword, expectLedgerBalanced } from '../helpers/ledger';
import { issueReferralCodes } from '../../src/models/referral-code';

const REFERRER = 16;
const POINTS = 50;
const USERS = { admin: { uid: 2, password: 'referral-admin' }, demo: { uid: 6, password: 'referral-demo' } };
let seq = 500;

/** A paid order in the demo's open session 4: 2 × product 5 at 70, tax 15% (161 with tax). */
export function uiOrder(partnerId: number | false, extra: Record<string, unknown> = {}, refundOf?: number) {
  const n = ++seq;
  const sign = refundOf ? -1 : 1;
  return {
    id: `00004-777-${n}`,
    to_invoice: false,
    data: {
      name: `Order 00004-777-${n}`, amount_paid: 161 * sign, amount_total: 161 * sign, amount_tax: 21 * sign, amount_return: 0,
      lines: [[0, 0, {
        qty: 2 * sign, price_unit: 70, price_subtotal: 140 * sign, price_subtotal_incl: 161 * sign, discount: 0, product_id: 5,
        tax_ids: [[6, false, [1]]], full_product_name: 'line', price_extra: 0, ...(refundOf ? { refunded_orderline_id: refundOf } : {}),
      }]],
      statement_ids: [[0, 0, { name: '2026-11-22 10:00:00', payment_method_id: 2, amount: 161 * sign }]],
      pos_session_id: 4, pricelist_id: false, partner_id: partnerId, user_id: 2, uid: `00004-777-${n}`, sequence_number: n,
      date_order: `2026-11-22 10:${String(n % 60).padStart(2, '0')}:00`, fiscal_position_id: false, server_id: false, to_invoice: false, ...extra,
    },
  };
}

export function itRunsTheReferralFlow(target: () => WireTarget): void {
  const t = target;
  let program: number;
  let otherCompanyProgram: number;
  let codeOf: (partnerId: number) => Promise<string>;
  const kw = (user: keyof typeof USERS, model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) =>
    odooJsonRpc(t().url, 'object', 'execute_kw', [t().db, USERS[user].uid, USERS[user].password, model, method, args, kwargs]);
  const refused = (p: Promise<unknown>) => p.then(() => expect.fail('not refused'), (e: Error) => e.message);
  const rest = async (path: string, body: unknown) => {
    const res = await fetch(t().url + '/api/v1' + path, {
      method: 'POST', headers: { authorization: basicAuth('admin', USERS.admin.password), 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  /** The till's flow: the order written, then its points confirmed (processed once). */
  const sell = async (order: ReturnType<typeof uiOrder>) => {
    const [{ id }] = (await kw('demo', 'pos.order', 'create_from_ui', [[order], false])) as Array<{ id: number }>;
    await kw('demo', 'pos.order', 'confirm_coupon_programs', [[id], {}]);
    return id;
  };
  const referrerCard = async () => (await t().knex('loyalty_card').where({ program_id: program, partner_id: REFERRER }).select('id', 'points', 'company_id'));
  const orderCount = async () => Number((await t().knex('pos_order').count('* as n'))[0].n);

  before(async () => {
    const db = t().knex;
    for (const [login, u] of Object.entries(USERS)) await cheapPassword(db, login, u.password);
    await issueReferralCodes(db, 'missing');
    codeOf = async (id) => (await db('res_partner').where({ id }).first('referral_code')).referral_code;
    // Retail Club's row, renamed, without rules or rewards: a program only referrals feed.
    [{ id: program }] = (await db.raw(`
      INSERT INTO loyalty_program (name, program_type, company_id, currency_id, active, pos_ok, sale_ok, applies_on, trigger, portal_visible, portal_point_name, referral_points, create_uid, create_date, write_uid, write_date)
      SELECT '{"en_US": "Referral Club"}'::jsonb, program_type, company_id, currency_id, true, pos_ok, sale_ok, applies_on, trigger, portal_visible, portal_point_name, ?, 1, now(), 1, now()
        FROM loyalty_program WHERE id = 15 RETURNING id`, [POINTS])).rows;
    // The same in the other company (Chicago): orders of San Francisco's till never feed it.
    [{ id: otherCompanyProgram }] = (await db.raw(`
      INSERT INTO loyalty_program (name, program_type, company_id, currency_id, active, pos_ok, sale_ok, applies_on, trigger, portal_visible, portal_point_name, referral_points, create_uid, create_date, write_uid, write_date)
      SELECT '{"en_US": "Chicago Referrals"}'::jsonb, program_type, 2, currency_id, true, pos_ok, sale_ok, applies_on, trigger, portal_visible, portal_point_name, 500, 1, now(), 1, now()
        FROM loyalty_program WHERE id = 15 RETURNING id`)).rows;
  });
  afterEach(async () => expectLedgerBalanced(t().knex));

  it('refuses an unknown code, the customer\'s own code and a code without customer: UserError, nothing written', async () => {
    const before = await orderCount();
    expect(await refused(kw('demo', 'pos.order', 'create_from_ui', [[uiOrder(65, { referral_code_used: 'NOSUCH99' })], false])))
      .to.equal('odoo.exceptions.UserError: The referral code NOSUCH99 does not exist.');
    const own = await codeOf(65);
    expect(await refused(kw('demo', 'pos.order', 'create_from_ui', [[uiOrder(65, { referral_code_used: own.toLowerCase() })], false])))
      .to.equal(`odoo.exceptions.UserError: The referral code ${own} is the customer's own: a customer cannot refer themselves.`);
    expect(await refused(kw('demo', 'pos.order', 'create_from_ui', [[uiOrder(false, { referral_code_used: await codeOf(REFERRER) })], false])))
      .to.match(/needs a customer on the order/);
    expect(await refused(kw('demo', 'pos.order', 'loyalty_preview', [{ partner_id: 65, lines: [{ product_id: 5, qty: 1, price_unit: 70 }], referral_code_used: 'nosuch99' }])))
      .to.equal('odoo.exceptions.UserError: The referral code NOSUCH99 does not exist.');
    const restPreview = await rest('/orders/preview', { partner_id: 65, lines: [{ product_id: 5, qty: 1, price_unit: 70 }], referral_code_used: own });
    // The REST errors' one shape (src/api/errors.ts): {error: {code, message}}.
    expect(restPreview.status).to.equal(400);
    expect(restPreview.body.error.code).to.equal('invalid_order');
    expect(restPreview.body.error.message).to.match(/customer's own/);
    const restOrder = await rest('/orders', { reference: 'REF-UNKNOWN', partner_id: 72, lines: [{ product_id: 5, qty: 1, price_unit: 70 }], referral_code_used: 'zzzz' });
    expect(restOrder.status).to.equal(400);
    expect(restOrder.body.error).to.deep.equal({ code: 'user_error', message: 'The referral code ZZZZ does not exist.' });
    expect(await orderCount()).to.equal(before);
    expect(await t().knex('sidecar_processed_order').where({ external_reference: 'REF-UNKNOWN' }).first()).to.equal(undefined);
    expect(await referrerCard()).to.deep.equal([]);
  });

  it('the preview says what the referral would give: the referrer\'s points on a first order, nothing after one', async () => {
    const code = await codeOf(REFERRER);
    const order = { partner_id: 65, channel: 'pos', lines: [{ product_id: 5, qty: 1, price_unit: 70 }], referral_code_used: `  ${code.toLowerCase()} ` };
    const rpc = (await kw('demo', 'pos.order', 'loyalty_preview', [order])) as { referral: unknown };
    expect(rpc.referral).to.deep.equal({ code, referrer_id: REFERRER, first_order: true, rewards: [{ program_id: program, program_name: 'Referral Club', points: POINTS }] });
    const viaRest = await rest('/orders/preview', order);
    expect(viaRest.status).to.equal(200);
    expect(viaRest.body.referral).to.deep.equal(rpc.referral);
    // Liam Smith (64) has paid orders already: his code use would give nothing.
    const liam = (await kw('demo', 'pos.order', 'loyalty_preview', [{ ...order, partner_id: 64 }])) as { referral: unknown };
    expect(liam.referral).to.deep.equal({ code, referrer_id: REFERRER, first_order: false, rewards: [] });
  });

  it('the first paid order gives the referrer 50 points once (a new card), the second nothing, a refund takes them back', async () => {
    const code = await codeOf(REFERRER);
    const first = await sell(uiOrder(65, { referral_code_used: ` ${code.toLowerCase()}` }));
    expect((await t().knex('pos_order').where({ id: first }).first('referral_code_used')).referral_code_used).to.equal(code);
    const [card] = await referrerCard();
    expect(card.points).to.equal(POINTS);
    expect(card.company_id).to.equal(1);
    const moves = await t().knex('loyalty_point_move').where({ card_id: card.id }).orderBy('id').select('kind', 'points', 'pos_order_id');
    expect(moves).to.deep.equal([{ kind: 'earn', points: POINTS, pos_order_id: first }]);
    // Processed again (the sweep, the API): nothing more.
    expect((await rest(`/pos-orders/${first}/process`, {})).status).to.equal(200);
    const second = await sell(uiOrder(65, { referral_code_used: code }));
    expect((await referrerCard())[0].points).to.equal(POINTS);
    expect(await t().knex('sidecar_referral_award').where({ referred_partner_id: 65 }).select('program_id', 'referrer_partner_id', 'pos_order_id', 'card_id'))
      .to.deep.equal([{ program_id: program, referrer_partner_id: REFERRER, pos_order_id: first, card_id: card.id }]);
    expect(second).to.be.greaterThan(first);
    expect(await t().knex('loyalty_card').where({ program_id: otherCompanyProgram }).select('id'), 'another company\'s program').to.deep.equal([]);

    const line = (await t().knex('pos_order_line').where({ order_id: first }).first('id')).id;
    const refund = await sell(uiOrder(65, {}, line));
    expect((await referrerCard())[0].points).to.equal(0);
    const refundMoves = await t().knex('loyalty_point_move').where({ card_id: card.id, kind: 'refund' }).select('points', 'pos_order_id');
    expect(refundMoves).to.deep.equal([{ points: -POINTS, pos_order_id: refund }]);
  });

  it('two first orders of one referred customer processed at once reward the referrer once', async () => {
    const code = await codeOf(REFERRER);
    const before = (await referrerCard())[0].points;
    const ids: number[] = [];
    for (let i = 0; i < 2; i++) {
      const [{ id }] = (await kw('demo', 'pos.order', 'create_from_ui', [[uiOrder(68, { referral_code_used: code })], false])) as Array<{ id: number }>;
      ids.push(id);
    }
    // Both paid before either is processed; then processed together, twice over.
    const answers = await Promise.all([...ids, ...ids.slice().reverse()].map((id) => rest(`/pos-orders/${id}/process`, {})));
    expect(answers.map((a) => a.status).sort()).to.deep.equal([200, 200, 201, 201]);
    expect((await referrerCard())[0].points).to.equal(before + POINTS);
    expect(await t().knex('sidecar_referral_award').where({ referred_partner_id: 68 }).pluck('pos_order_id')).to.deep.equal([ids[0]]);
  });

  it('an earlier order paid after a later one was rewarded gives nothing: once per referred customer, ever', async () => {
    const code = await codeOf(REFERRER);
    const before = (await referrerCard())[0].points;
    const earlier = uiOrder(47, { referral_code_used: code });
    const [{ id: draft }] = (await kw('demo', 'pos.order', 'create_from_ui', [[earlier], true])) as Array<{ id: number }>;
    const later = await sell(uiOrder(47, { referral_code_used: code }));
    expect((await referrerCard())[0].points).to.equal(before + POINTS);
    // The draft paid now: by date it is the customer's first paid order, but the award is taken.
    const [{ id: paid }] = (await kw('demo', 'pos.order', 'create_from_ui', [[{ ...earlier, data: { ...earlier.data, server_id: draft } }], false])) as Array<{ id: number }>;
    expect(paid).to.equal(draft);
    await kw('demo', 'pos.order', 'confirm_coupon_programs', [[paid], {}]);
    expect((await referrerCard())[0].points).to.equal(before + POINTS);
    expect(await t().knex('sidecar_referral_award').where({ referred_partner_id: 47 }).pluck('pos_order_id')).to.deep.equal([later]);
  });

  it('an external order over REST with a code rewards the referrer of its customer\'s first order', async () => {
    const before = (await referrerCard())[0].points;
    const out = await rest('/orders', { reference: 'REF-EXT-1', partner_id: 72, lines: [{ product_id: 5, qty: 1, price_unit: 70 }], referral_code_used: ` ${(await codeOf(REFERRER)).toLowerCase()}` });
    expect(out.status).to.equal(201);
    expect((await referrerCard())[0].points).to.equal(before + POINTS);
    expect(await t().knex('loyalty_point_move').where({ reference: 'REF-EXT-1', card_id: (await referrerCard())[0].id }).pluck('points')).to.deep.equal([POINTS]);
  });

  it('two first external orders of a new customer sent at once: both pass the first-order test, the award\'s key lets one through', async () => {
    const code = await codeOf(REFERRER);
    const customer = (await kw('admin', 'res.partner', 'create', [{ name: 'Referred Twice' }])) as number;
    const before = (await referrerCard())[0].points;
    const answers = await Promise.all(['REF-RACE-1', 'REF-RACE-2'].map((reference) =>
      rest('/orders', { reference, partner_id: customer, lines: [{ product_id: 5, qty: 1, price_unit: 70 }], referral_code_used: code })));
    expect(answers.map((a) => a.status)).to.deep.equal([201, 201]);
    expect((await referrerCard())[0].points).to.equal(before + POINTS);
    expect(await t().knex('sidecar_referral_award').where({ referred_partner_id: customer }).select('program_id', 'reference'))
      .to.have.length(1);
  });

  it('two customers who give each other\'s code, their first external orders sent at once: each referrer rewarded once, no deadlock', async () => {
    const db = t().knex;
    for (let i = 0; i < 8; i++) {
      const [x, y] = (await Promise.all(['X', 'Y'].map((n) => kw('admin', 'res.partner', 'create', [{ name: `Mutual ${n}${i}` }])))) as number[];
      // Both already hold a card of the referral program: the award then writes a card the other order's customer locked first.
      await db('loyalty_card').insert([x, y].map((partner_id) => ({
        program_id: program, company_id: 1, partner_id, code: `MUTUAL-${i}-${partner_id}`, points: 0, create_uid: 1, create_date: db.fn.now(), write_uid: 1, write_date: db.fn.now(),
      })));
      const answers = await Promise.all([[x, y], [y, x]].map(async ([customer, referrer], k) => rest('/orders', {
        reference: `REF-MUTUAL-${i}-${k}`, partner_id: customer, lines: [{ product_id: 5, qty: 1, price_unit: 70 }], referral_code_used: await codeOf(referrer),
      })));
      expect(answers.map((a) => a.status), JSON.stringify(answers.map((a) => a.body))).to.deep.equal([201, 201]);
      const points = await db('loyalty_card').where({ program_id: program }).whereIn('partner_id', [x, y]).orderBy('partner_id').pluck('points');
      expect(points).to.deep.equal([POINTS, POINTS]);
    }
  });
}

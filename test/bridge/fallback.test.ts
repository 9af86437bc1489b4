/**
 * When the till could not reach the sidecar, Odoo's own confirm_coupon_programs gave the cards
 * their points and the bridge addon recorded what it gave (pos_order.loyalty_fallback_points).
 * Whenever the sidecar processes the order, before or after that, no point counts twice.
 * (With a real Odoo and the addon: test/odoo/bridge.test.ts.)
 */
import { expect } from 'chai';
import { Knex } from 'knex';
import { runJob } from '../../src/jobs/scheduler';
import { processPosOrder } from '../../src/orders/process-pos-order';
import { createOrdersFromUi } from '../../src/orders/pos-ui-order';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { expectLedgerBalanced } from '../helpers/ledger';
import { tillOrder } from '../helpers/bridge';

describe('bridge: points Odoo gave while the sidecar was unreachable', () => {
  let sidecar: TestSidecar;
  let db: Knex;
  const sell = async (partnerId: number) =>
    (await db.transaction((cr) => createOrdersFromUi(cr, 2, [tillOrder(partnerId, [{ product_id: 5, qty: 2, price_unit: 70 }])], false, new Date())))[0];
  const points = async (card: number) => (await db('loyalty_card').where({ id: card }).first('points')).points as number;
  /** What Odoo's own confirm_coupon_programs does to a card, and what the addon records. */
  const odooGives = async (order: number, given: Record<number, number>) => {
    for (const [card, p] of Object.entries(given)) await db.raw('update loyalty_card set points = points + ? where id = ?', [p, card]);
    await db('pos_order').where({ id: order }).update({ loyalty_fallback_points: JSON.stringify(given) });
  };
  const process = (id: number) => db.transaction((cr) => processPosOrder(cr, id, { source: 'hook', uid: 2, now: new Date(), app: sidecar.ctx }));

  before(async () => {
    sidecar = await startTestSidecar('odoo17');
    db = sidecar.ctx.db.knex;
  });
  after(async () => sidecar?.close());
  afterEach(async () => expectLedgerBalanced(db));

  it('Odoo first, the sidecar later: Odoo\'s points are taken back as the order is processed, the engine\'s stand', async () => {
    const before = await points(17);
    const id = await sell(64);
    await odooGives(id, { 17: 161 });
    const sweep = await runJob(sidecar.ctx, 'points-sweep');
    expect(sweep.result).to.deep.include({ processed: 1, settled: 0 });
    expect(await points(17)).to.equal(before + 161);
    expect((await db('sidecar_processed_order').where({ pos_order_id: id }).first('fallback_settled_at')).fallback_settled_at).to.not.equal(null);
    expect((await runJob(sidecar.ctx, 'points-sweep')).result).to.deep.include({ processed: 0, settled: 0, adjusted: 0 });
    expect(await points(17)).to.equal(before + 161);
  });

  it('the sidecar first, Odoo later (the till lost it in between): the sweep takes Odoo\'s points back', async () => {
    const before = await points(18);
    const id = await sell(65);
    await process(id);
    expect(await points(18)).to.equal(before + 161);
    await odooGives(id, { 18: 161 });
    expect((await runJob(sidecar.ctx, 'points-sweep')).result).to.deep.include({ processed: 0, settled: 1, adjusted: 0 });
    expect(await points(18)).to.equal(before + 161);
    expect((await runJob(sidecar.ctx, 'points-sweep')).result).to.deep.include({ settled: 0, adjusted: 0 });
  });

  it('a card Odoo created for the order (a next-order coupon) is the one the sidecar gives the order\'s points: no second card', async () => {
    const id = await sell(66);
    const [{ id: coupon }] = await db('loyalty_card')
      .insert({ program_id: 5, company_id: 1, code: 'ODOO-FALLBACK-1', points: 0, source_pos_order_id: id, partner_id: 66 })
      .returning('id');
    await odooGives(id, { [coupon]: 1 });
    const out = await process(id);
    const created = out.result!.cards.filter((c) => c.program_id === 5);
    expect(created.map((c) => [c.card_id, c.created])).to.deep.equal([[coupon, true]]);
    expect(await db('loyalty_card').where({ source_pos_order_id: id, program_id: 5 }).pluck('id')).to.deep.equal([coupon]);
    expect(await points(coupon)).to.equal(created[0].won);
  });
});

import { expect } from 'chai';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { expectLedgerBalanced } from '../helpers/ledger';
import { GIFT_CARDS, prepareTills, runTills } from '../helpers/tills';

/**
 * 200 tills at once over real HTTP on a real PostgreSQL (test/helpers/tills.ts: half through
 * Odoo's POS methods, half through REST web orders paying with two of nine shared gift cards
 * in random order, all on thirteen customers' cards): no deadlock, no failed order, no card
 * overdrawn, and every card's points equal to the sum of its moves.
 */
describe('security: 200 concurrent tills on overlapping cards', () => {
  let sidecar: TestSidecar;
  let codes: Map<number, string>;
  before(async () => {
    sidecar = await startTestSidecar('odoo17');
    codes = await prepareTills(sidecar.ctx.db.knex, 40);
  });
  after(async () => sidecar?.close());

  it('no deadlock, no overdraft, points = sum(moves)', async function () {
    this.timeout(300_000);
    const db = sidecar.ctx.db.knex;
    const run = await runTills(sidecar.url, sidecar.ctx.dbName, db, codes, 200, 1);
    expect(run.errors, 'till errors').to.deep.equal([]);
    expect(run.orders).to.equal(200);
    expect(run.deadlocks).to.equal(0);
    // 100 web orders claim two gift cards each ($70 + tax from each, at $1 a point) of 9 cards of 40 points: the cards run dry, never below zero.
    const gifts = (await db('loyalty_card').whereIn('id', GIFT_CARDS).select('id', 'points')) as Array<{ id: number; points: number }>;
    for (const g of gifts) expect(g.points, `gift card ${g.id}`).to.be.at.least(0);
    const spent = Number((await db.raw(`select coalesce(-sum(points), 0) as n from loyalty_point_move where kind = 'redeem' and card_id = any(?)`, [GIFT_CARDS])).rows[0].n);
    expect(spent).to.be.greaterThan(0).and.at.most(9 * 40);
    await expectLedgerBalanced(db);
  });
});

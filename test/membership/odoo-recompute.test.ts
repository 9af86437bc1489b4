/**
 * The sidecar's tier lines survive Odoo recomputing them (Odoo gives a line without an invoice
 * the state 'none'): the sidecar finds its lines whatever their state, restores them, and never
 * opens a second one; a tier never displaces a membership bought on an invoice. (The same with a
 * real Odoo and the bridge addon: test/odoo/bridge.test.ts.)
 */
import { expect } from 'chai';
import { runJob } from '../../src/jobs/scheduler';
import { addOrder, GOLD, linesOf, partnerColumns, PLATINUM, SILVER, useTierSidecar } from './fixtures';

describe('membership: tier lines after Odoo recomputed them', () => {
  const tiers = useTierSidecar();

  /** What Odoo's own recomputation stores: lines without an invoice 'none', and their partners' state from those lines. */
  const odooRecomputes = async () => {
    const db = tiers.sidecar().ctx.db.knex;
    const partners = await db('membership_membership_line').whereNull('account_invoice_line').update({ state: 'none' }).returning('partner');
    await db('res_partner').whereIn('id', partners.map((p: { partner: number }) => p.partner)).whereNull('associate_member')
      .where((q) => q.whereNull('free_member').orWhere({ free_member: false }))
      .update({ membership_state: 'none' });
  };

  it('two cycles of Odoo recomputing and the sidecar\'s jobs: one open line per tier, restored to free', async () => {
    const sidecar = tiers.sidecar();
    const db = sidecar.ctx.db.knex;
    // Partner 67 reaches Silver; partner 10 (Gold bought on a paid invoice) reaches Platinum by spend.
    await addOrder(db, 67, 250, '2026-11-22 10:00:00');
    await addOrder(db, 10, 5000, '2026-11-22 10:00:00');
    expect((await runJob(sidecar.ctx, 'membership')).state).to.equal('done');
    const before = { l67: await linesOf(db, 67), l10: await linesOf(db, 10), p67: await partnerColumns(db, 67), p10: await partnerColumns(db, 10) };
    expect(before.l67.map((l) => [l.membership_id, l.state])).to.deep.equal([[SILVER, 'free']]);
    expect(before.l10.map((l) => [l.membership_id, l.state])).to.deep.equal([[GOLD, 'paid'], [PLATINUM, 'free']]);
    expect(before.p67.state).to.equal('free');
    expect(before.p10.state, 'the bought membership is not displaced').to.equal('paid');

    // The full run is daily: the same day it is skipped, the next day it runs.
    for (const [at, full] of [['2026-11-22T13:10:00Z', 'skipped'], ['2026-11-23T13:10:00Z', 'done']]) {
      await odooRecomputes();
      tiers.clock().setSystemTime(new Date(at));
      expect((await runJob(sidecar.ctx, 'membership-changed')).state).to.equal('done');
      expect((await runJob(sidecar.ctx, 'membership')).state).to.equal(full);
    }
    expect(await linesOf(db, 67)).to.deep.equal(before.l67);
    expect(await linesOf(db, 10)).to.deep.equal(before.l10);
    expect(await partnerColumns(db, 67)).to.deep.equal(before.p67);
    expect(await partnerColumns(db, 10)).to.deep.equal(before.p10);
  });
});

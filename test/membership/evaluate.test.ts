/**
 * Tier evaluation of one partner (what runs after each processed paid order), on the
 * recorded Odoo 17 dump, with the clock under sinon.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { Knex } from 'knex';
import { DowngradePolicy } from '../../src/engine/membership';
import { currentTier, evaluatePartner } from '../../src/models/membership-evaluate';
import { utcDay } from '../../src/models/membership-facts';
import { MissingError } from '../../src/errors';
import { addOrder, useMigratedDump, configureTiers, GOLD, linesOf, partnerColumns, PLATINUM, SILVER } from './fixtures';

describe('membership: evaluating one partner', () => {
  const dbOf = useMigratedDump();
  let clock: sinon.SinonFakeTimers;
  let cr: Knex.Transaction;
  // Each test works in a transaction rolled back afterwards: the dump stays as recorded.
  beforeEach(async () => {
    cr = await dbOf().transaction();
    clock = sinon.useFakeTimers({ now: new Date('2026-11-22T12:00:00Z'), toFake: ['Date'] });
  });
  afterEach(async () => {
    clock.restore();
    await cr.rollback();
  });

  const evaluate = (partnerId: number, policy: DowngradePolicy = 'period_end') => evaluatePartner(cr, partnerId, { now: new Date(), policy, uid: 2 });
  const tierOf = async (partnerId: number) => (await currentTier(cr, partnerId, utcDay(new Date()))).tier?.productId ?? null;

  it('upgrades at once: Silver when spend reaches 500, then Gold (Silver closed) at 2,000', async () => {
    await configureTiers(cr);
    // Partner 67 spent 161.00 + 159.04 this year.
    await addOrder(cr, 67, 250, '2026-11-22 10:00:00');
    await evaluate(67);
    expect(await linesOf(cr, 67)).to.deep.equal([
      { membership_id: SILVER, state: 'free', date_from: '2026-11-22', date_to: '2026-12-31', date_cancel: null, member_price: 0, member_transaction_amount_total: 570.04 },
    ]);
    expect(await partnerColumns(cr, 67)).to.deep.equal({ state: 'free', start: '2026-11-22', stop: '2026-12-31', cancel: null });
    expect(await tierOf(67)).to.equal(SILVER);

    await addOrder(cr, 67, 1500, '2026-11-22 11:00:00');
    await evaluate(67);
    const lines = await linesOf(cr, 67);
    expect(lines.map((l) => [l.membership_id, l.date_cancel, l.member_transaction_amount_total])).to.deep.equal([
      [SILVER, '2026-11-22', 570.04],
      [GOLD, null, 2070.04],
    ]);
    // Exactly what Odoo computes from these lines: the cancel date of the closed Silver line shows.
    expect(await partnerColumns(cr, 67)).to.deep.equal({ state: 'free', start: '2026-11-22', stop: '2026-12-31', cancel: '2026-11-22' });
    expect(await tierOf(67)).to.equal(GOLD);

    // Evaluating again changes nothing.
    const again = await evaluate(67);
    expect(again.open).to.equal(null);
    expect(again.closeGranted).to.equal(false);
    expect(await linesOf(cr, 67)).to.have.length(2);
  });

  describe('downgrades', () => {
    // A 30-day window; Silver is always on sale, Gold is sold for 2026 (the dump's period).
    beforeEach(async () => {
      await configureTiers(cr, 30, { [SILVER]: [null, null] });
      await addOrder(cr, 67, 2000, '2026-11-22 10:00:00');
      await evaluate(67);
      await addOrder(cr, 67, 400, '2026-12-10 10:00:00');
      await addOrder(cr, 67, 150, '2026-12-20 10:00:00');
    });

    it('at period end by default: Gold runs to 2026-12-31 though spend fell to Silver, then Silver opens', async () => {
      expect((await linesOf(cr, 67)).map((l) => l.membership_id)).to.deep.equal([GOLD]);
      clock.setSystemTime(new Date('2026-12-25T12:00:00Z'));
      const mid = await evaluate(67);
      expect(mid.earned?.productId).to.equal(SILVER);
      expect(mid.spend).to.equal(550);
      expect(await linesOf(cr, 67)).to.have.length(1);
      expect(await tierOf(67)).to.equal(GOLD);

      clock.setSystemTime(new Date('2027-01-02T08:00:00Z'));
      await evaluate(67);
      const lines = await linesOf(cr, 67);
      expect(lines.map((l) => [l.membership_id, l.date_from, l.date_to, l.date_cancel])).to.deep.equal([
        [GOLD, '2026-11-22', '2026-12-31', null],
        [SILVER, '2027-01-02', '2027-01-31', null],
      ]);
      expect(await partnerColumns(cr, 67)).to.deep.equal({ state: 'free', start: '2026-11-22', stop: '2027-01-31', cancel: null });
      expect(await tierOf(67)).to.equal(SILVER);
    });

    it('immediately under the immediate policy', async () => {
      clock.setSystemTime(new Date('2026-12-25T12:00:00Z'));
      await evaluate(67, 'immediate');
      const lines = await linesOf(cr, 67);
      expect(lines.map((l) => [l.membership_id, l.date_from, l.date_to, l.date_cancel])).to.deep.equal([
        [GOLD, '2026-11-22', '2026-12-31', '2026-12-25'],
        [SILVER, '2026-12-25', '2027-01-23', null],
      ]);
      expect(await tierOf(67)).to.equal(SILVER);
    });
  });

  it('a refund that drops spend below the threshold: kept to period end, or closed at once', async () => {
    await configureTiers(cr);
    await addOrder(cr, 67, 250, '2026-11-22 10:00:00');
    await evaluate(67);
    clock.setSystemTime(new Date('2026-11-23T09:00:00Z'));
    await addOrder(cr, 67, -100, '2026-11-23 08:00:00');

    const kept = await evaluate(67);
    expect(kept.earned).to.equal(null);
    expect(await tierOf(67)).to.equal(SILVER);

    const dropped = await evaluate(67, 'immediate');
    expect(dropped.closeGranted).to.equal(true);
    expect(dropped.open).to.equal(null);
    expect((await linesOf(cr, 67)).map((l) => l.date_cancel)).to.deep.equal(['2026-11-23']);
    expect(await tierOf(67)).to.equal(null);
    // Odoo ignores date_cancel for the state: the Silver line still covers today.
    expect(await partnerColumns(cr, 67)).to.deep.equal({ state: 'free', start: null, stop: null, cancel: '2026-11-23' });
  });

  it('refunds and orders that are not paid, done or invoiced do not count', async () => {
    await configureTiers(cr);
    await addOrder(cr, 67, 5000, '2026-11-22 10:00:00', 'draft');
    await addOrder(cr, 67, 5000, '2026-11-22 10:00:00', 'cancel');
    const r = await evaluate(67);
    expect(r.earned).to.equal(null);
    await addOrder(cr, 67, 1000, '2026-11-22 10:00:00', 'invoiced');
    await addOrder(cr, 67, -400, '2026-11-22 10:00:00', 'done');
    expect((await evaluate(67)).spend).to.equal(920.04);
  });

  it('an invoice-bought membership: a lower spend tier is not granted, a higher one is', async () => {
    await configureTiers(cr);
    // Partner 10 paid Gold 2026 on an invoice and spent 111.55.
    await addOrder(cr, 10, 600, '2026-11-22 10:00:00');
    const silver = await evaluate(10);
    expect(silver.earned).to.equal(null);
    expect(await linesOf(cr, 10)).to.have.length(1);
    expect(await partnerColumns(cr, 10)).to.deep.equal({ state: 'paid', start: '2026-01-01', stop: '2026-12-31', cancel: null });
    expect(await tierOf(10)).to.equal(GOLD);

    await addOrder(cr, 10, 4500, '2026-11-22 11:00:00');
    await evaluate(10);
    const lines = await linesOf(cr, 10);
    expect(lines.map((l) => [l.membership_id, l.state, l.date_to])).to.deep.equal([
      [GOLD, 'paid', '2026-12-31'],
      [PLATINUM, 'free', '2027-06-30'],
    ]);
    // The tier does not displace the membership bought on an invoice: the partner stays a paying
    // member, while the tier line is there and the engine applies the tier.
    expect(await partnerColumns(cr, 10)).to.deep.equal({ state: 'paid', start: '2026-01-01', stop: '2027-06-30', cancel: null });
    expect(await tierOf(10)).to.equal(PLATINUM);
  });

  it('associate and free members keep the state Odoo gives them; the associate tier counts for the gate', async () => {
    await configureTiers(cr);
    await addOrder(cr, 44, 600, '2026-11-22 10:00:00');
    await evaluate(44);
    expect((await linesOf(cr, 44)).map((l) => l.membership_id)).to.deep.equal([SILVER]);
    expect(await partnerColumns(cr, 44)).to.deep.equal({ state: 'paid', start: '2026-07-01', stop: '2027-06-30', cancel: null });
    expect(await tierOf(44)).to.equal(PLATINUM);

    // Partner 63 is a free member and spent 2,346.00 in September.
    await evaluate(63);
    expect((await linesOf(cr, 63)).map((l) => [l.membership_id, l.member_transaction_amount_total])).to.deep.equal([[GOLD, 2346]]);
    expect(await partnerColumns(cr, 63)).to.deep.equal({ state: 'free', start: '2026-11-22', stop: '2026-12-31', cancel: null });
  });

  it('refuses an unknown partner with Odoo\'s MissingError and writes nothing', async () => {
    await configureTiers(cr);
    const before = (await cr('membership_membership_line').count('* as n'))[0].n;
    let error: unknown;
    try {
      await evaluate(999999);
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(MissingError);
    expect((error as Error).message).to.equal('Record does not exist or has been deleted.\n(Record: res.partner(999999,), User: 2)');
    expect((await cr('membership_membership_line').count('* as n'))[0].n).to.equal(before);
  });
});

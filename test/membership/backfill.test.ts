/**
 * The full evaluation split over partner-id ranges on several connections (the jobs' way)
 * must leave exactly what one transaction over everyone leaves: on committed random data
 * (associate members pointing into other ranges among them), each step of the timeline is
 * first evaluated in one transaction that is rolled back, then by the split run, which commits.
 */
import { expect } from 'chai';
import { Knex } from 'knex';
import { DowngradePolicy } from '../../src/engine/membership';
import { evaluateAll } from '../../src/models/membership-batch';
import { evaluateAllSplit } from '../../src/models/membership-backfill';
import { randomise, snapshot, TIMELINE, useMigratedDump } from './fixtures';

async function inOneTransaction(db: Knex, clock: { now: Date; policy: DowngradePolicy; uid: number }) {
  const trx = await db.transaction();
  try {
    await evaluateAll(trx, clock);
    return await snapshot(trx);
  } finally {
    await trx.rollback();
  }
}

describe('membership: the full evaluation split in ranges equals the one-transaction run', function () {
  const dbOf = useMigratedDump();

  it('3 ranges, at every step of the timeline, under both policies', async () => {
    const db = dbOf();
    await randomise(db, 4);
    const associates = await db('res_partner').whereNotNull('associate_member').count({ n: '*' });
    expect(Number(associates[0].n)).to.be.greaterThan(2);
    let granted = 0;
    for (const [i, at] of TIMELINE.entries()) {
      const clock = { now: new Date(at), policy: (i % 2 ? 'immediate' : 'period_end') as DowngradePolicy, uid: 1 };
      const expected = await inOneTransaction(db, clock);
      const result = await db.transaction((trx) => evaluateAllSplit(trx, db, clock, 3));
      const got = await snapshot(db);
      expect(got.lines, `lines at ${at}`).to.deep.equal(expected.lines);
      expect(got.partners, `partners at ${at}`).to.deep.equal(expected.partners);
      expect(result.linesOpened + result.linesClosed + result.partnersUpdated, `work done at ${at}`).to.be.greaterThan(0);
      granted = got.lines.filter((l: { member_transaction_amount_total: number | null }) => l.member_transaction_amount_total !== null).length;
    }
    expect(granted).to.be.greaterThan(5);
    // Associates whose associate holds a membership: the columns the ranges leave to evaluateAssociates.
    const following = await db.raw(
      `select count(*)::int as n from res_partner p join res_partner a on a.id = p.associate_member
        where a.membership_state <> 'none' and p.membership_state = a.membership_state`,
    );
    expect(following.rows[0].n).to.be.greaterThan(0);
  });

  it('after a run interrupted with one range committed, the next run ends where an uninterrupted one does', async () => {
    const db = dbOf();
    await db.raw(`delete from membership_membership_line where member_transaction_amount_total is not null`);
    const clock = { now: new Date(TIMELINE[1]), policy: 'period_end' as DowngradePolicy, uid: 1 };
    const expected = await inOneTransaction(db, clock);
    const middle = (await db.raw(`select percentile_disc(0.5) within group (order by id) as id from res_partner`)).rows[0].id;
    const first = await db.transaction((trx) => evaluateAll(trx, clock, { from: 0, to: middle }));
    expect(first.linesOpened).to.be.greaterThan(0);
    await db.transaction((trx) => evaluateAllSplit(trx, db, clock, 2));
    const got = await snapshot(db);
    expect(got.lines).to.deep.equal(expected.lines);
    expect(got.partners).to.deep.equal(expected.partners);
  });
});

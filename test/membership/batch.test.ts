/**
 * The set-based job must decide and write exactly what the one-partner evaluation does:
 * both paths run over the same randomised data (orders, refunds, free and associate members,
 * cancelled and open-ended lines, invoice-bought memberships) along a timeline, under both
 * downgrade policies, and their lines and partner columns are compared after every step.
 */
import { expect } from 'chai';
import { Knex } from 'knex';
import { DowngradePolicy } from '../../src/engine/membership';
import { evaluatePartner } from '../../src/models/membership-evaluate';
import { evaluateAll, evaluateChanged, tiersChangedSince } from '../../src/models/membership-batch';
import { addOrder, configureTiers, partnerColumns, randomise, snapshot, TIMELINE, useMigratedDump } from './fixtures';

describe('membership: the set-based job equals the one-partner evaluation', function () {
  const dbOf = useMigratedDump();

  /**
   * one: every partner through evaluatePartner; all: the full set-based run; changed: what the
   * hourly job does (a full run first, or when tiers' sale periods moved; else the partners
   * changed since the previous step).
   */
  async function timeline(seed: number, policy: DowngradePolicy, path: 'one' | 'all' | 'changed') {
    const cr = await dbOf().transaction();
    const steps = [];
    try {
      const ids = await randomise(cr, seed);
      let previous: Date | null = null;
      for (const at of TIMELINE) {
        const clock = { now: new Date(at), policy, uid: 1 };
        if (path === 'one') for (const id of ids) await evaluatePartner(cr, id, clock);
        else if (path === 'all' || previous === null || (await tiersChangedSince(cr, previous, clock.now))) await evaluateAll(cr, clock);
        else await evaluateChanged(cr, clock, previous);
        previous = clock.now;
        steps.push(await snapshot(cr));
      }
    } finally {
      await cr.rollback();
    }
    return steps;
  }

  for (const [seed, policy] of [[1, 'period_end'], [2, 'immediate'], [3, 'period_end']] as Array<[number, DowngradePolicy]>) {
    it(`seed ${seed}, ${policy}: identical lines and partner columns at every step (one partner, full, changed)`, async () => {
      const one = await timeline(seed, policy, 'one');
      const all = await timeline(seed, policy, 'all');
      const changed = await timeline(seed, policy, 'changed');
      let granted = 0;
      for (let i = 0; i < TIMELINE.length; i++) {
        expect(all[i].lines, `lines at ${TIMELINE[i]}`).to.deep.equal(one[i].lines);
        expect(all[i].partners, `partners at ${TIMELINE[i]}`).to.deep.equal(one[i].partners);
        expect(changed[i].lines, `changed run: lines at ${TIMELINE[i]}`).to.deep.equal(one[i].lines);
        expect(changed[i].partners, `changed run: partners at ${TIMELINE[i]}`).to.deep.equal(one[i].partners);
        granted = one[i].lines.filter((l: { member_transaction_amount_total: number | null }) => l.member_transaction_amount_total !== null).length;
      }
      // The data really exercised tiers.
      expect(granted).to.be.greaterThan(5);
    });
  }

  it('the changed-partners run evaluates a partner with a new order, and only what changed', async () => {
    const cr = await dbOf().transaction();
    try {
      await configureTiers(cr);
      const clock = { now: new Date('2026-11-22T12:00:00Z'), policy: 'period_end' as const, uid: 1 };
      await evaluateAll(cr, clock);
      const before = await snapshot(cr);
      const since = new Date('2026-11-22T12:00:00Z');
      await addOrder(cr, 67, 250, '2026-11-22 13:00:00');
      const later = { ...clock, now: new Date('2026-11-22T14:00:00Z') };
      const changed = await evaluateChanged(cr, later, since);
      expect(changed.partners).to.equal(1);
      expect(changed.linesOpened).to.equal(1);
      const after = await snapshot(cr);
      expect(after.lines.length).to.equal(before.lines.length + 1);
      // A full run at the same instant finds nothing more to do.
      const full = await evaluateAll(cr, later);
      expect([full.linesOpened, full.linesClosed, full.partnersUpdated]).to.deep.equal([0, 0, 0]);
    } finally {
      await cr.rollback();
    }
  });

  it('a partner stored with no state and spend below every tier: the full run computes it, as one-partner evaluation does', async () => {
    const clock = { now: new Date('2026-11-22T12:00:00Z'), policy: 'period_end' as const, uid: 1 };
    const columns = async (evaluate: (cr: Knex.Transaction) => Promise<unknown>) => {
      const cr = await dbOf().transaction();
      try {
        await configureTiers(cr);
        await addOrder(cr, 67, 100, '2026-11-20 10:00:00');
        await cr('res_partner').whereIn('id', [67, 68]).update({ membership_state: null });
        await evaluate(cr);
        return [await partnerColumns(cr, 67), await partnerColumns(cr, 68)];
      } finally {
        await cr.rollback();
      }
    };
    const one = await columns((cr) => evaluatePartner(cr, 67, clock));
    const all = await columns((cr) => evaluateAll(cr, clock));
    expect(all[0]).to.deep.equal(one[0]);
    expect(all[0].state).to.equal('none');
    // Partner 68, not evaluated (no spend, no line), keeps what it stores.
    expect(all[1].state).to.equal(null);
  });
});

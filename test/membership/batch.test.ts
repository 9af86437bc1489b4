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
import { addOrder, configureTiers, SILVER, useMigratedDump } from './fixtures';

/** A small seeded generator (mulberry32), so a failure replays. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TIMELINE = ['2026-11-22T12:00:00Z', '2026-12-15T09:00:00Z', '2027-01-05T18:00:00Z', '2027-03-10T06:00:00Z', '2027-08-01T12:00:00Z'];

async function randomise(cr: Knex.Transaction, seed: number): Promise<number[]> {
  const rnd = random(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  await configureTiers(cr, 60, { [SILVER]: [null, null] });
  const partners = (await cr.raw(`select id, membership_state from res_partner order by id`)).rows as Array<{ id: number; membership_state: string }>;
  for (const p of partners) {
    const n = Math.floor(rnd() * 5);
    for (let i = 0; i < n; i++) {
      const day = new Date(Date.UTC(2026, 8, 1) + Math.floor(rnd() * 300) * 86_400_000).toISOString().slice(0, 10);
      const amount = Math.round((rnd() < 0.15 ? -rnd() * 300 : rnd() * 1800) * 100) / 100;
      await addOrder(cr, p.id, amount, `${day} 1${Math.floor(rnd() * 10)}:00:00`, pick(['paid', 'done', 'invoiced', 'draft']));
    }
    // Odoo's computation is not idempotent for a free member stored as paid (it reads its
    // own stored value): Odoo behaves the same, so such partners are left out here.
    if (rnd() < 0.1 && p.membership_state !== 'paid') await cr('res_partner').where({ id: p.id }).update({ free_member: true });
  }
  // Associates (pointing at lower ids: no cycles), cancelled lines and lines without an end.
  for (const p of partners) {
    if (p.id > 20 && rnd() < 0.1) await cr('res_partner').where({ id: p.id }).update({ associate_member: pick(partners.filter((q) => q.id < p.id)).id });
  }
  const lineIds = (await cr('membership_membership_line').select('id')).map((r: { id: number }) => r.id);
  for (const id of lineIds) {
    if (rnd() < 0.2) await cr('membership_membership_line').where({ id }).update({ date_cancel: '2026-10-01' });
    else if (rnd() < 0.1) await cr('membership_membership_line').where({ id }).update({ date_to: null });
  }
  return partners.map((p) => p.id);
}

async function snapshot(cr: Knex.Transaction) {
  const lines = (
    await cr.raw(
      `select partner, membership_id, state, date_from::text, date_to::text, date_cancel::text, date::text,
              member_price::float8, member_transaction_amount_total::float8, company_id
         from membership_membership_line order by partner, id`,
    )
  ).rows;
  const partners = (
    await cr.raw(
      `select id, membership_state, membership_start::text, membership_stop::text, membership_cancel::text
         from res_partner order by id`,
    )
  ).rows;
  return { lines, partners };
}

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
});

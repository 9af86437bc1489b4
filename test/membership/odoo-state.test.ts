/**
 * Odoo 17's membership computations (addons/membership), reproduced as pure functions:
 * every line state Odoo can produce, every branch of res.partner._compute_membership_state,
 * and the columns Odoo itself stored in the recorded dump, recomputed identically.
 */
import { expect } from 'chai';
import { Knex } from 'knex';
import {
  InvoiceFacts, lineState, MemberLineFacts, ownMembershipState, partnerMembership,
} from '../../src/engine/membership';
import { recomputePartnerMembership } from '../../src/models/membership-partner';
import { loadLines, loadPartners } from '../../src/models/membership-facts';
import { useMigratedDump } from './fixtures';

const inv = (state: string, paymentState: string | null, reversed = false): InvoiceFacts => ({ state, paymentState, reversed });
const line = (id: number, dateFrom: string | null, dateTo: string | null, more: Partial<MemberLineFacts> = {}): MemberLineFacts => ({
  id, state: 'paid', dateFrom, dateTo, dateCancel: null, invoice: inv('posted', 'paid'), ...more,
});
const TODAY = '2026-11-22';

describe('membership: Odoo 17 line state', () => {
  it('maps every invoice state and payment state as membership_line._compute_state', () => {
    expect(lineState(null)).to.equal('none');
    expect(lineState(inv('draft', 'not_paid'))).to.equal('waiting');
    expect(lineState(inv('posted', 'not_paid'))).to.equal('invoiced');
    expect(lineState(inv('posted', 'partial'))).to.equal('invoiced');
    expect(lineState(inv('posted', 'in_payment'))).to.equal('paid');
    expect(lineState(inv('posted', 'paid'))).to.equal('paid');
    expect(lineState(inv('posted', 'paid', true))).to.equal('canceled');
    expect(lineState(inv('posted', 'reversed'))).to.equal('none');
    expect(lineState(inv('posted', 'invoicing_legacy'))).to.equal('none');
    expect(lineState(inv('cancel', 'not_paid'))).to.equal('canceled');
  });
});

describe('membership: Odoo 17 partner state', () => {
  const plain = { freeMember: false, previousState: null, associateId: null };

  it('takes the state of the newest line covering today', () => {
    const lines = [line(1, '2026-01-01', '2026-12-31', { state: 'paid' }), line(2, '2026-06-01', '2026-12-31', { state: 'waiting' })];
    expect(ownMembershipState(plain, lines, TODAY)).to.equal('waiting');
  });

  it('an ended line: old when paid, canceled when its invoice is cancelled, else the stored state stays', () => {
    const ended = (invoice: InvoiceFacts | null) => [line(1, '2025-01-01', '2025-12-31', { invoice })];
    expect(ownMembershipState(plain, ended(inv('posted', 'paid')), TODAY)).to.equal('old');
    expect(ownMembershipState(plain, ended(inv('posted', 'in_payment')), TODAY)).to.equal('old');
    expect(ownMembershipState(plain, ended(inv('cancel', 'not_paid')), TODAY)).to.equal('canceled');
    expect(ownMembershipState({ ...plain, previousState: 'free' }, ended(null), TODAY)).to.equal('free');
    expect(ownMembershipState({ ...plain, previousState: 'invoiced' }, ended(inv('posted', 'not_paid')), TODAY)).to.equal('invoiced');
  });

  it('the newest deciding line wins even when an older one covers today', () => {
    const lines = [line(1, '2026-01-01', '2026-12-31', { state: 'paid' }), line(2, '2025-01-01', '2025-12-31')];
    expect(ownMembershipState(plain, lines, TODAY)).to.equal('old');
  });

  it('a spend tier does not displace a membership bought on an invoice; alone it decides as any line', () => {
    const bought = line(1, '2026-01-01', '2026-12-31', { state: 'paid' });
    const tier = line(2, '2026-11-01', '2027-06-30', { state: 'free', invoice: null, tier: true });
    const endedTier = line(3, '2026-01-01', '2026-11-01', { state: 'free', invoice: null, tier: true });
    expect(ownMembershipState(plain, [bought, tier], TODAY)).to.equal('paid');
    expect(ownMembershipState(plain, [bought, endedTier], TODAY)).to.equal('paid');
    expect(ownMembershipState(plain, [tier], TODAY)).to.equal('free');
    // A line without an invoice that is not the sidecar's decides as in Odoo.
    expect(ownMembershipState(plain, [bought, { ...tier, tier: false }], TODAY)).to.equal('free');
    expect(ownMembershipState({ ...plain, freeMember: true, previousState: 'paid' }, [bought, tier], TODAY)).to.equal('free');
  });

  it('skips future lines and zero-length ended lines; none when nothing decides', () => {
    expect(ownMembershipState(plain, [line(1, '2027-01-01', '2027-12-31')], TODAY)).to.equal('none');
    expect(ownMembershipState(plain, [line(1, '2025-01-01', '2025-01-01')], TODAY)).to.equal('none');
    expect(ownMembershipState(plain, [], TODAY)).to.equal('none');
    // Empty dates read as date.min: a line without dates has ended... but from == to, so it is skipped.
    expect(ownMembershipState(plain, [line(1, null, null)], TODAY)).to.equal('none');
    // Only an end date: from = date.min < to < today: ended and paid.
    expect(ownMembershipState(plain, [line(1, null, '2025-06-30')], TODAY)).to.equal('old');
  });

  it('free members are free unless their stored state is paid', () => {
    expect(ownMembershipState({ ...plain, freeMember: true }, [], TODAY)).to.equal('free');
    expect(ownMembershipState({ ...plain, freeMember: true, previousState: 'paid' }, [line(1, '2026-01-01', '2026-12-31', { state: 'paid' })], TODAY)).to.equal('paid');
    expect(ownMembershipState({ ...plain, freeMember: true, previousState: 'paid' }, [], TODAY)).to.equal('none');
  });

  it('start/stop ignore cancelled lines; stop is empty when one line has no end; cancel is the earliest', () => {
    const lines = [
      line(1, '2026-01-01', '2026-12-31'),
      line(2, '2025-01-01', '2025-12-31', { dateCancel: '2025-03-01' }),
      line(3, '2026-07-01', '2027-06-30', { dateCancel: '2026-11-22' }),
    ];
    expect(partnerMembership(plain, lines, null, TODAY)).to.deep.equal({ state: 'paid', start: '2026-01-01', stop: '2026-12-31', cancel: '2025-03-01' });
    expect(partnerMembership(plain, [...lines, line(4, '2026-02-01', null)], null, TODAY).stop).to.equal(null);
    expect(partnerMembership(plain, [line(1, null, '2026-12-31')], null, TODAY).start).to.equal(null);
  });

  it('an associate member takes the associate state and dates, but keeps its own cancel date', () => {
    const own = [line(9, '2024-01-01', '2024-12-31', { dateCancel: '2024-02-02' })];
    const associateLines = [line(1, '2026-07-01', '2027-06-30')];
    const result = partnerMembership({ ...plain, associateId: 43 }, own, { lines: associateLines, state: 'paid' }, TODAY);
    expect(result).to.deep.equal({ state: 'paid', start: '2026-07-01', stop: '2027-06-30', cancel: '2024-02-02' });
  });
});

describe('membership: the columns Odoo stored in the dump are recomputed identically', function () {
  const dbOf = useMigratedDump();

  it('covers every state: free, waiting, invoiced (one partly paid), paid, canceled, old, associate', async () => {
    const states = (await dbOf().raw(`select distinct membership_state from res_partner where membership_state is not null`)).rows.map((r: { membership_state: string }) => r.membership_state);
    expect(states).to.include.members(['free', 'waiting', 'invoiced', 'paid', 'canceled', 'old', 'none']);
  });

  it('every partner, computed from its lines and invoices, equals what Odoo stored', async () => {
    await dbOf().transaction(async (cr) => {
      const ids = (await cr.raw('select id from res_partner order by id')).rows.map((r: { id: number }) => r.id);
      const partners = await loadPartners(cr, ids);
      const lines = await loadLines(cr, ids);
      const linesOf = (id: number) => lines.filter((l) => l.partnerId === id);
      let compared = 0;
      for (const p of partners.values()) {
        const associate = p.associateId !== null ? { lines: linesOf(p.associateId), state: partners.get(p.associateId)!.stored.state } : null;
        const computed = partnerMembership(p, linesOf(p.id), associate, TODAY);
        expect(computed, `partner ${p.id}`).to.deep.equal(p.stored);
        compared++;
      }
      expect(compared).to.equal(ids.length);
      // Line states too: each line's stored state is what its invoice gives.
      for (const l of lines) expect(lineState(l.invoice), `line ${l.id}`).to.equal(l.state);
      // And the writer finds nothing to change.
      expect(await recomputePartnerMembership(cr, ids, TODAY)).to.deep.equal([]);
    });
  });

  it('recomputes associates after their associate changes (the field is recursive)', async () => {
    const cr = await dbOf().transaction();
    try {
      await cr.raw(`update membership_membership_line set date_cancel = '2026-11-22' where partner = 43`);
      const changed = await recomputePartnerMembership(cr, [43], TODAY);
      expect(changed.sort()).to.deep.equal([43, 44]);
      const rows = (await cr.raw(`select id, membership_state, membership_start, membership_stop::text, membership_cancel::text from res_partner where id in (43, 44) order by id`)).rows;
      expect(rows).to.deep.equal([
        { id: 43, membership_state: 'paid', membership_start: null, membership_stop: null, membership_cancel: '2026-11-22' },
        { id: 44, membership_state: 'paid', membership_start: null, membership_stop: null, membership_cancel: null },
      ]);
    } finally {
      await cr.rollback();
    }
  });
});

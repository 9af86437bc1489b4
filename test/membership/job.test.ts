/** The membership jobs, run through the scheduler's runJob under their advisory locks. */
import { expect } from 'chai';
import { runJob } from '../../src/jobs/scheduler';
import { withAdvisoryLock } from '../../src/db/locks';
import { addOrder, linesOf, SILVER, useTierSidecar } from './fixtures';

describe('membership: jobs', () => {
  const ctx = useTierSidecar();
  let sidecar: ReturnType<typeof ctx.sidecar>;
  let clock: ReturnType<typeof ctx.clock>;
  beforeEach(() => {
    sidecar = ctx.sidecar();
    clock = ctx.clock();
  });

  it('the hourly job back-fills everyone on its first run, then evaluates only changed partners', async () => {
    const db = sidecar.ctx.db.knex;
    const first = await runJob(sidecar.ctx, 'membership-changed', new Date());
    expect(first.ran).to.equal(true);
    const firstResult = (first as { result: Record<string, unknown> }).result;
    expect(firstResult.kind).to.equal('full');
    expect(firstResult.linesOpened).to.be.greaterThan(0);

    clock.setSystemTime(new Date('2026-11-22T13:10:00Z'));
    await addOrder(db, 67, 250, '2026-11-22 13:05:00');
    const second = await runJob(sidecar.ctx, 'membership-changed', new Date());
    // Partner 67, plus the partners whose lines the first run wrote within the look-back margin.
    const partners = 1 + (firstResult.linesOpened as number);
    expect((second as { result: Record<string, unknown> }).result).to.deep.include({ kind: 'changed', partners, linesOpened: 1, linesClosed: 0 });
    expect((await linesOf(db, 67)).map((l) => l.membership_id)).to.deep.equal([SILVER]);

    const runs = await db('sidecar_membership_run').orderBy('id').select('kind', 'as_of');
    expect(runs).to.deep.equal([
      { kind: 'full', as_of: '2026-11-22 12:00:00' },
      { kind: 'changed', as_of: '2026-11-22 13:10:00' },
    ]);
  });

  it('the hourly job gives partners Odoo created since its last run the primary program card', async () => {
    const db = sidecar.ctx.db.knex;
    await db('loyalty_program').where({ id: 15 }).update({ is_primary_loyalty: true });
    const [{ id }] = await db('res_partner')
      .insert({ name: 'Created by Odoo', active: true, create_date: '2026-11-22 13:30:00', write_date: '2026-11-22 13:30:00' })
      .returning('id');
    clock.setSystemTime(new Date('2026-11-22T14:10:00Z'));
    const outcome = await runJob(sidecar.ctx, 'membership-changed', new Date());
    expect((outcome as { result: Record<string, unknown> }).result.primaryCards).to.equal(1);
    expect(await db('loyalty_card').where({ partner_id: id }).pluck('program_id')).to.deep.equal([15]);
  });

  it('the full job re-evaluates everyone and finds nothing left to do', async () => {
    const outcome = await runJob(sidecar.ctx, 'membership', new Date());
    expect((outcome as { result: Record<string, unknown> }).result).to.deep.include({ kind: 'full', linesOpened: 0, linesClosed: 0, partnersUpdated: 0 });
  });

  it('does not run while another replica holds the lock', async () => {
    const db = sidecar.ctx.db.knex;
    let inner: unknown;
    await withAdvisoryLock(db, 'job:membership', async () => {
      inner = await runJob(sidecar.ctx, 'membership', new Date());
    });
    expect(inner).to.deep.include({ ran: false, state: 'skipped', reason: 'another replica is running it' });
  });
});

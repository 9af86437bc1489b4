/** Writes through the ORM (execute_kw) keep res_partner's membership columns as Odoo computes them. */
import { expect } from 'chai';
import { executeKw } from '../../src/orm/call';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { partnerColumns } from './fixtures';

describe('membership: ORM writes keep the partner columns in step', () => {
  let sidecar: TestSidecar;
  before(async () => {
    sidecar = await startTestSidecar('odoo17');
  });
  after(async () => {
    await sidecar?.close();
  });
  const call = (model: string, method: string, args: unknown[]) => executeKw(sidecar.ctx, 2, model, method, args, {});
  const columns = (id: number) => partnerColumns(sidecar.ctx.db.knex, id);

  it('moving a paid line into the past makes the partner an old member', async () => {
    // Line 6: partner 10, Gold 2026, invoice paid.
    await call('membership.membership_line', 'write', [[6], { date_from: '2025-01-01', date_to: '2025-12-31' }]);
    expect(await columns(10)).to.deep.equal({ state: 'old', start: '2025-01-01', stop: '2025-12-31', cancel: null });
  });

  it('a line created on a paid invoice line is paid, and so is its partner', async () => {
    // Invoice line 94 belongs to the paid Gold invoice of partner 10.
    const id = (await call('membership.membership_line', 'create', [{
      partner: 67, membership_id: 65, member_price: 250, account_invoice_line: 94, date_from: '2026-11-01', date_to: '2027-10-31',
    }])) as number;
    const line = await sidecar.ctx.db.knex('membership_membership_line').where({ id }).first('state');
    expect(line.state).to.equal('paid');
    expect(await columns(67)).to.deep.equal({ state: 'paid', start: '2026-11-01', stop: '2027-10-31', cancel: null });
  });

  it('a cancel date alone is not a dependency in Odoo: the columns stay as they were', async () => {
    await call('membership.membership_line', 'write', [[6], { date_cancel: '2026-11-01' }]);
    expect(await columns(10)).to.deep.equal({ state: 'old', start: '2025-01-01', stop: '2025-12-31', cancel: null });
  });

  it('deleting the line recomputes the partner', async () => {
    await call('membership.membership_line', 'unlink', [[6]]);
    // Partner 10 has no line left: Odoo's loop finds nothing and says none.
    expect(await columns(10)).to.deep.equal({ state: 'none', start: null, stop: null, cancel: null });
  });

  it('a chain of associates that loops is refused and nothing is written', async () => {
    await call('res.partner', 'write', [[44], { associate_member: 43 }]);
    let error: unknown;
    try {
      await call('res.partner', 'write', [[43], { associate_member: 44 }]);
    } catch (err) {
      error = err;
    }
    expect((error as Error).message).to.equal('You cannot create recursive associated members.');
    const row = await sidecar.ctx.db.knex('res_partner').where({ id: 43 }).first('associate_member');
    expect(row.associate_member).to.equal(null);
  });

  it('a new partner gets a card of the primary loyalty program', async () => {
    const db = sidecar.ctx.db.knex;
    await db('loyalty_program').where({ id: 15 }).update({ is_primary_loyalty: true });
    const id = (await call('res.partner', 'create', [{ name: 'Ada Newcomer' }])) as number;
    const cards = await db('loyalty_card').where({ partner_id: id }).select('program_id', 'points', 'code');
    expect(cards.map((c) => [c.program_id, c.points])).to.deep.equal([[15, 0]]);
    expect(cards[0].code).to.match(/^044[0-9a-f]-[0-9a-f]{4}-[0-9a-f]{4}$/);
    expect(await columns(id)).to.deep.equal({ state: 'none', start: null, stop: null, cancel: null });
  });
});

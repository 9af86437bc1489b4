/**
 * Tier-gated programs through the engine preview over REST: a program linked to Gold is
 * offered to Gold members and above (bought on an invoice, earned by spend, or through an
 * associate), to nobody else, and only while the membership is in force on the order's date.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { hashPassword } from '../../src/auth/password';
import { evaluatePartner } from '../../src/models/membership-evaluate';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { addOrder, configureTiers, GOLD } from './fixtures';

/** "Online only: 5% off": automatic, no minimum, every sales order gets it. */
const PROGRAM = 18;

describe('membership: tier-gated programs in the engine preview', () => {
  let sidecar: TestSidecar;
  let rewardId: number;
  const auth = 'Basic ' + Buffer.from('admin:admin').toString('base64');

  before(async () => {
    sidecar = await startTestSidecar('odoo17');
    const db = sidecar.ctx.db.knex;
    // The dump's 600k-round hash costs ~0.3 s per REST call; this copy gets a cheap one.
    await db('res_users').where({ login: 'admin' }).update({ password: await hashPassword('admin', 1000) });
    await configureTiers(db);
    rewardId = (await db('loyalty_reward').where({ program_id: PROGRAM }).first('id')).id;
  });
  after(async () => {
    await sidecar?.close();
  });

  async function offered(partnerId: number, dateOrder = '2026-11-22'): Promise<boolean> {
    const res = await fetch(`${sidecar.url}/api/v1/orders/preview`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: auth },
      body: JSON.stringify({ partner_id: partnerId, date_order: dateOrder, lines: [{ product_id: 35, qty: 1, price_unit: 1500, tax_ids: [] }] }),
    });
    const body = (await res.json()) as { claimable: Array<{ reward_id: unknown }> };
    expect(res.status, JSON.stringify(body)).to.equal(200);
    return body.claimable.some((c) => (Array.isArray(c.reward_id) ? c.reward_id[0] : c.reward_id) === rewardId);
  }

  it('without a tier link the program is offered to everyone', async () => {
    expect(await offered(67)).to.equal(true);
  });

  it('linked to Gold: offered to Gold and Platinum members only', async () => {
    await sidecar.ctx.db.knex('loyalty_program').where({ id: PROGRAM }).update({ membership_product_id: GOLD });
    expect(await offered(10), 'Gold, paid invoice').to.equal(true);
    expect(await offered(66), 'Platinum, invoiced').to.equal(true);
    expect(await offered(44), 'associate of a Platinum member').to.equal(true);
    expect(await offered(71), 'Silver').to.equal(false);
    expect(await offered(64), 'Silver, invoice still draft').to.equal(false);
    expect(await offered(67), 'no membership').to.equal(false);
    expect(await offered(10, '2027-01-15'), 'Gold 2026 has ended on that date').to.equal(false);
  });

  it('a partner who earns Gold by spending gets it from then on', async () => {
    const db = sidecar.ctx.db.knex;
    const clock = sinon.useFakeTimers({ now: new Date('2026-11-22T12:00:00Z'), toFake: ['Date'] });
    try {
      await addOrder(db, 67, 1800, '2026-11-22 11:00:00');
      await db.transaction((cr) => evaluatePartner(cr, 67, { now: new Date(), policy: 'period_end', uid: 2 }));
    } finally {
      clock.restore();
    }
    expect(await offered(67)).to.equal(true);
  });
});

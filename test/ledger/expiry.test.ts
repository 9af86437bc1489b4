import { expect } from 'chai';
import sinon from 'sinon';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { basicAuth, cheapPassword, expectLedgerBalanced } from '../helpers/ledger';
import { writeLedger } from '../../src/ledger/ledger';
import { runJob } from '../../src/jobs/scheduler';

describe('ledger: lots and expiry', () => {
  let sidecar: TestSidecar;
  let clock: sinon.SinonFakeTimers | undefined;
  const CARD = 18; // Retail Club card of partner 65, 95 points (its opening lot never expires)
  const at = (iso: string) => {
    clock?.restore();
    clock = sinon.useFakeTimers({ now: new Date(iso), toFake: ['Date'] });
  };
  const earn = (points: number, expirationDate: string | null) =>
    sidecar.ctx.db.knex.transaction((cr) => writeLedger(cr, {
      cardId: CARD, entries: [{ kind: 'earn', points, expirationDate }], origin: { description: 'test earn' }, uid: 2, now: new Date(),
    }));
  const balance = async () => (await (await fetch(`${sidecar.url}/api/v1/cards/${CARD}/balance`, { headers: { authorization: basicAuth('admin', 'ledger-test') } })).json()) as {
    points: number; next_expiry: { date: string; points: number } | null;
  };
  const redeem = (points: number) => fetch(`${sidecar.url}/api/v1/points/redeem`, {
    method: 'POST', body: JSON.stringify({ card_id: CARD, points, reference: 'test' }),
    headers: { 'content-type': 'application/json', authorization: basicAuth('admin', 'ledger-test') },
  });

  before(async () => {
    sidecar = await startTestSidecar('odoo17');
    await cheapPassword(sidecar.ctx.db.knex, 'admin', 'ledger-test');
  });
  after(async () => {
    clock?.restore();
    await sidecar?.close();
  });
  afterEach(async () => expectLedgerBalanced(sidecar.ctx.db.knex));

  it('redeems from the lots that expire first and expires what is left on the day after the last valid one', async () => {
    at('2026-01-01T10:00:00Z');
    await earn(100, '2026-01-31');
    await earn(50, '2026-01-15');
    expect(await balance()).to.deep.include({ points: 245, next_expiry: { date: '2026-01-15', points: 50 } });
    // 60 points: the 50 that expire on the 15th, then 10 of the 100 that expire on the 31st.
    expect((await redeem(60)).status).to.equal(201);
    expect((await balance()).next_expiry).to.deep.equal({ date: '2026-01-31', points: 90 });

    at('2026-01-31T23:59:00Z');
    await runJob(sidecar.ctx, 'expire-points');
    expect((await balance()).points).to.equal(185);

    at('2026-02-01T00:05:00Z');
    const outcome = await runJob(sidecar.ctx, 'expire-points');
    expect(outcome).to.deep.include({ ran: true });
    const b = await balance();
    expect(b.points).to.equal(95);
    expect(b.next_expiry).to.equal(null);
    const expired = (await sidecar.ctx.db.knex.raw(`SELECT points::float8 AS points, create_date::text FROM loyalty_point_move WHERE card_id = ? AND kind = 'expire'`, [CARD])).rows;
    expect(expired).to.deep.equal([{ points: -90, create_date: '2026-02-01 00:05:00' }]);

    // Running it again the same day finds nothing left to expire.
    await runJob(sidecar.ctx, 'expire-points');
    expect((await balance()).points).to.equal(95);
  });

  it('refuses to spend a lot past its last valid day even before the job ran', async () => {
    at('2026-03-01T09:00:00Z');
    await earn(40, '2026-03-10');
    at('2026-03-10T20:00:00Z');
    expect((await balance()).next_expiry).to.deep.equal({ date: '2026-03-10', points: 40 });
    at('2026-03-11T08:00:00Z');
    const refused = await redeem(130);
    expect(refused.status).to.equal(409);
    expect(((await refused.json()) as { error: { message: string } }).error.message).to.contain('95 available');
    expect((await redeem(90)).status).to.equal(201); // the 40 expired first, in that same transaction
    expect((await balance()).points).to.equal(5);
    const expired = (await sidecar.ctx.db.knex.raw(`SELECT points::float8 AS points FROM loyalty_point_move WHERE card_id = ? AND kind = 'expire' AND create_date >= '2026-03-01'`, [CARD])).rows;
    expect(expired).to.deep.equal([{ points: -40 }]);
  });
});

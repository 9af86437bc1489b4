import { expect } from 'chai';
import { standaloneTestDatabase, StandaloneTestDatabase } from '../helpers/standalone';
import { expectLedgerBalanced } from '../helpers/ledger';
import { processPosOrder } from '../../src/orders/process-pos-order';
import { boot } from '../../src/server';
import { loadConfig } from '../../src/config';

describe('ledger: standalone database with the demo seeds', () => {
  let sa: StandaloneTestDatabase;
  before(async () => {
    sa = await standaloneTestDatabase({ engine: 'auto' });
  });
  after(async () => sa?.drop());

  it('starts from the seeded balances: opening moves, and the seeded paid orders count as processed', async () => {
    const db = sa.db.knex;
    const app = await boot(loadConfig({}), sa.db);
    await expectLedgerBalanced(db);
    const openings = Number((await db.raw(`SELECT count(*) AS n FROM loyalty_point_move WHERE kind = 'opening'`)).rows[0].n);
    expect(openings).to.be.greaterThan(0);
    const unprocessed = Number((await db.raw(`
      SELECT count(*) AS n FROM pos_order o WHERE o.state IN ('paid', 'done', 'invoiced')
         AND NOT EXISTS (SELECT 1 FROM sidecar_processed_order p WHERE p.pos_order_id = o.id)`)).rows[0].n);
    expect(unprocessed).to.equal(0);
    const again = await db.transaction((cr) => processPosOrder(cr, 15, { source: 'api', uid: 2, now: new Date(), app }));
    expect(again.processed).to.equal(false);
  });
});

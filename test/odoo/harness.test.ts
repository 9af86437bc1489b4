/**
 * The real Odoo 17 the Odoo-facing suites run against: a copy of the recorded dump owned by
 * Odoo's role, a server started by ../shared/odoo17-server/run.sh, and `odoo-bin shell`.
 */
import { expect } from 'chai';
import { describeOdoo, freshOdooDatabase, OdooDatabase, odooShell, OdooServer, startOdoo } from '../helpers/odoo';

describeOdoo('real Odoo 17: the test harness', function () {
  let database: OdooDatabase;
  let odoo: OdooServer;
  before(async () => {
    database = await freshOdooDatabase();
    odoo = await startOdoo(database.name);
  });
  after(async () => {
    await odoo?.stop();
    await database?.drop();
  });

  it('serves the recorded dump over its own RPC, as admin and refusing a wrong password', async () => {
    expect(await odoo.uid()).to.equal(2);
    expect(await odoo.uid('admin', 'wrong')).to.equal(false);
    const cards = await odoo.call<Array<{ id: number }>>('loyalty.card', 'search_read', [[]], { fields: ['code', 'points'], limit: 5 });
    expect(cards).to.have.length(5);
  });

  it('runs Python in odoo-bin shell on the same database', async () => {
    await odoo.stop();
    const out = await odooShell(database.name, "print('partners', env['res.partner'].search_count([]))\n");
    expect(out).to.match(/partners \d+/);
    odoo = await startOdoo(database.name);
  });
});

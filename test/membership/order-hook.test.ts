/** What runs after each processed order: the tier stamp on the order, then the partner's evaluation. */
import { expect } from 'chai';
import { Knex } from 'knex';
import '../../src/models';
import { runOrderProcessedHooks } from '../../src/orders/hooks';
import { addOrder, configureTiers, GOLD, linesOf, SILVER, useMigratedDump } from './fixtures';

describe('membership: after each processed order', () => {
  const dbOf = useMigratedDump();
  let cr: Knex.Transaction;
  beforeEach(async () => {
    cr = await dbOf().transaction();
    await configureTiers(cr);
  });
  afterEach(() => cr.rollback());

  const processed = (posOrderId: number, partnerId: number | null, now: string) =>
    runOrderProcessedHooks([{
      cr, posOrderId, reference: null, partnerId, companyId: 1, kind: 'order', cards: [], uid: 2, now: new Date(now),
    }]);

  it('stamps the tier held when the order was processed, then upgrades the partner', async () => {
    // Partner 67 has spent 320.04; this order takes the spend to 570.04 (Silver).
    const first = await addOrder(cr, 67, 250, '2026-11-22 10:00:00');
    await processed(first, 67, '2026-11-22T10:01:00Z');
    expect((await cr('pos_order').where({ id: first }).first('membership_product_id')).membership_product_id).to.equal(null);
    expect((await linesOf(cr, 67)).map((l) => l.membership_id)).to.deep.equal([SILVER]);

    const second = await addOrder(cr, 67, 1500, '2026-11-22 11:00:00');
    await processed(second, 67, '2026-11-22T11:01:00Z');
    expect((await cr('pos_order').where({ id: second }).first('membership_product_id')).membership_product_id).to.equal(SILVER);
    expect((await linesOf(cr, 67)).map((l) => [l.membership_id, l.date_cancel])).to.deep.equal([[SILVER, '2026-11-22'], [GOLD, null]]);
  });

  it('an order without a partner changes no membership', async () => {
    const order = await addOrder(cr, 67, 5000, '2026-11-22 10:00:00');
    await cr('pos_order').where({ id: order }).update({ partner_id: null });
    const before = await cr('membership_membership_line').count('* as n');
    await processed(order, null, '2026-11-22T10:01:00Z');
    expect(await cr('membership_membership_line').count('* as n')).to.deep.equal(before);
  });
});

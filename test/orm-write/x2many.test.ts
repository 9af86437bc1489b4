import { expect } from 'chai';
import { harness, Harness } from './harness';

/** x2many commands in create and write, on one2many (rules, rewards, contacts) and many2many (products). */
describe('orm write: x2many commands', () => {
  let h: Harness;
  let program: number;
  before(async () => {
    h = await harness();
    program = (await h.call('loyalty.program', 'create', [{
      name: 'Commands', program_type: 'promotion', trigger: 'auto',
      rule_ids: [[0, 0, { minimum_qty: 1 }], [0, 0, { minimum_qty: 2, product_ids: [[6, 0, [5, 6]]] }]],
      reward_ids: [[0, 0, { discount: 10 }], [0, 0, { discount: 20 }]],
    }])) as number;
  });
  after(() => h?.close());

  const rules = () => h.rows<{ id: number; minimum_qty: number }>(`select id, minimum_qty from loyalty_rule where program_id = ? order by id`, [program]);
  const rewards = () => h.rows<{ id: number }>(`select id from loyalty_reward where program_id = ? order by id`, [program]);
  const products = async (rule: number) =>
    (await h.rows<{ id: number }>(`select product_product_id as id from loyalty_rule_product_product_rel where loyalty_rule_id = ? order by 1`, [rule])).map((r) => r.id);

  it('(0, 0, vals) creates the lines with the link back set', async () => {
    expect((await rules()).map((r) => r.minimum_qty)).to.deep.equal([1, 2]);
    expect(await rewards()).to.have.length(2);
    expect(await products((await rules())[1].id)).to.deep.equal([5, 6]);
  });

  it('(1, id, vals) updates a line', async () => {
    const [first] = await rules();
    await h.call('loyalty.program', 'write', [[program], { rule_ids: [[1, first.id, { minimum_qty: 7 }]] }]);
    expect((await rules())[0].minimum_qty).to.equal(7);
  });

  it('many2many: (4, id) links, (3, id) unlinks, (6, 0, ids) replaces, (5,) clears, a plain list replaces', async () => {
    const rule = (await rules())[1].id;
    await h.call('loyalty.rule', 'write', [[rule], { product_ids: [[4, 25], [4, 5]] }]);
    expect(await products(rule)).to.deep.equal([5, 6, 25]);
    await h.call('loyalty.rule', 'write', [[rule], { product_ids: [[3, 6]] }]);
    expect(await products(rule)).to.deep.equal([5, 25]);
    await h.call('loyalty.rule', 'write', [[rule], { product_ids: [[6, 0, [18, 20]]] }]);
    expect(await products(rule)).to.deep.equal([18, 20]);
    await h.call('loyalty.rule', 'write', [[rule], { product_ids: [[5]] }]);
    expect(await products(rule)).to.deep.equal([]);
    await h.call('loyalty.rule', 'write', [[rule], { product_ids: [48, 5] }]);
    expect(await products(rule)).to.deep.equal([5, 48]);
    await h.call('loyalty.rule', 'write', [[rule], { product_ids: false }]);
    expect(await products(rule)).to.deep.equal([]);
    // the products themselves are untouched
    expect(await h.rows(`select id from product_product where id in (5, 6, 18, 20, 25, 48)`)).to.have.length(6);
  });

  it('(3, id) on a one2many whose many2one cascades deletes the line', async () => {
    const [first] = await rules();
    await h.call('loyalty.program', 'write', [[program], { rule_ids: [[3, first.id]] }]);
    expect((await rules()).map((r) => r.id)).to.not.include(first.id);
    expect(await h.rows(`select id from loyalty_rule where id = ?`, [first.id])).to.have.length(0);
  });

  it('(2, id) deletes a reward; (0, 0, vals) in write adds one', async () => {
    const before = await rewards();
    await h.call('loyalty.program', 'write', [[program], { reward_ids: [[0, 0, { discount: 5, discount_mode: 'per_order' }], [2, before[0].id]] }]);
    const now = (await rewards()).map((r) => r.id);
    expect(now).to.not.include(before[0].id);
    expect(now).to.have.length(2);
  });

  it('(6, 0, ids) and (5,) on a one2many with a set-null link detach contacts without deleting them', async () => {
    const company = (await h.call('res.partner', 'create', [{
      name: 'Parent Co', is_company: true, child_ids: [[0, 0, { name: 'Ann' }], [0, 0, { name: 'Bob' }]],
    }])) as number;
    const kids = await h.rows<{ id: number; complete_name: string; commercial_partner_id: number }>(
      `select id, complete_name, commercial_partner_id from res_partner where parent_id = ? order by id`, [company]);
    expect(kids.map((k) => k.complete_name)).to.deep.equal(['Parent Co, Ann', 'Parent Co, Bob']);
    expect(kids.every((k) => k.commercial_partner_id === company)).to.equal(true);
    await h.call('res.partner', 'write', [[company], { child_ids: [[6, 0, [kids[0].id]]] }]);
    const bob = (await h.rows<{ parent_id: number | null; complete_name: string }>(`select parent_id, complete_name from res_partner where id = ?`, [kids[1].id]))[0];
    expect(bob).to.deep.equal({ parent_id: null, complete_name: 'Bob' });
    await h.call('res.partner', 'write', [[company], { child_ids: [[5]] }]);
    expect(await h.rows(`select id from res_partner where parent_id = ?`, [company])).to.have.length(0);
    expect(await h.rows(`select id from res_partner where id = any(?)`, [kids.map((k) => k.id)])).to.have.length(2);
  });

  it('refuses a malformed command with Odoo\'s ValueError and writes nothing', async () => {
    const rule = (await rules())[0].id;
    const err = await h.fails('loyalty.rule', 'write', [[rule], { minimum_qty: 99, product_ids: [[9, 1]] }]);
    expect(err.faultCode).to.equal(1);
    expect(err.message).to.equal('Wrong value for loyalty.rule.product_ids: [[9, 1]]');
    expect((await rules())[0].minimum_qty).to.not.equal(99);
  });
});

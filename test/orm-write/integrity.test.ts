import { expect } from 'chai';
import { harness, Harness } from './harness';

/**
 * Errors on the write side: Odoo's messages for what PostgreSQL and the models' constraints
 * refuse, Python's errors for values Python would refuse, and nothing half-written after any
 * of them (rows, x2many lines, discount products, sequences aside).
 */
describe('orm write: errors leave nothing written', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(() => h?.close());

  const snapshot = async () => ({
    programs: await h.count('loyalty_program'),
    rules: await h.count('loyalty_rule'),
    rewards: await h.count('loyalty_reward'),
    products: await h.count('product_product'),
    templates: await h.count('product_template'),
    partners: await h.count('res_partner'),
  });

  it('a Python constraint failing after the lines were created rolls back the program, its rules, rewards and their products', async () => {
    const before = await snapshot();
    const err = await h.fails('loyalty.program', 'create', [{
      name: 'Backwards', date_from: '2026-12-31', date_to: '2026-01-01',
      rule_ids: [[0, 0, { minimum_qty: 3 }]], reward_ids: [[0, 0, { discount: 5 }], [0, 0, { reward_type: 'product', reward_product_id: 48 }]],
    }]);
    expect(err.faultCode).to.equal(2);
    expect(err.message).to.equal("The validity period's start date must be anterior or equal to its end date.");
    expect(await snapshot()).to.deep.equal(before);
  });

  it('an SQL constraint on a line created by a command rolls back the whole create', async () => {
    const before = await snapshot();
    const err = await h.fails('loyalty.program', 'create', [{ name: 'Zero', reward_ids: [[0, 0, { discount: 5 }], [0, 0, { discount: 0 }]] }]);
    expect(err.message).to.equal('The operation cannot be completed: The discount must be strictly positive.');
    expect(err.pythonName).to.equal('odoo.exceptions.ValidationError');
    expect(await snapshot()).to.deep.equal(before);
  });

  it('a write refused by a constraint keeps every old value', async () => {
    const [before] = await h.rows(`select name, date_from, date_to, write_date from loyalty_program where id = 7`);
    await h.fails('loyalty.program', 'write', [[7], { name: 'Renamed', date_from: '2030-01-02', date_to: '2030-01-01' }]);
    expect((await h.rows(`select name, date_from, date_to, write_date from loyalty_program where id = 7`))[0]).to.deep.equal(before);
  });

  it('a foreign key that does not exist is refused with Odoo\'s text', async () => {
    const err = await h.fails('loyalty.card', 'create', [{ program_id: 15, partner_id: 999999 }]);
    expect(err.message).to.equal(
      'The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\n' +
        'Model: Loyalty Coupon (loyalty.card)\nConstraint: loyalty_card_partner_id_fkey\n',
    );
  });

  it('values Python would refuse raise Python\'s errors', async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['loyalty.card', { points: 'abc' }, "could not convert string to float: 'abc'"],
      ['loyalty.card', { points: [1] }, "float() argument must be a string or a real number, not 'list'"],
      ['loyalty.card', { expiration_date: '22/11/2026' }, "time data '22/11/2026' does not match format '%Y-%m-%d'"],
      ['loyalty.card', { partner_id: 'x' }, "Wrong value for loyalty.card.partner_id: 'x'"],
      ['loyalty.card', { nope: 1 }, "Invalid field 'nope' on model 'loyalty.card'"],
      ['loyalty.rule', { minimum_qty: '2.5' }, "invalid literal for int() with base 10: '2.5'"],
      ['loyalty.program', { program_type: 'lottery' }, "Wrong value for loyalty.program.program_type: 'lottery'"],
    ];
    for (const [model, vals, message] of cases) {
      const id = model === 'loyalty.card' ? 44 : model === 'loyalty.rule' ? 14 : 15;
      const err = await h.fails(model, 'write', [[id], vals]);
      expect(err.faultCode, message).to.equal(1);
      expect(err.message).to.equal(message);
    }
  });

  it('converts what Python converts: numeric strings, booleans, dates with a time, False to empty', async () => {
    await h.call('loyalty.card', 'write', [[44], { points: ' 12.5 ', expiration_date: '2027-02-03 10:00:00', partner_id: 67 }]);
    expect((await h.rows(`select points, expiration_date from loyalty_card where id = 44`))[0]).to.deep.equal({ points: 12.5, expiration_date: '2027-02-03' });
    await h.call('loyalty.rule', 'write', [[14], { minimum_qty: true, reward_point_amount: '3' }]);
    expect((await h.rows(`select minimum_qty, reward_point_amount from loyalty_rule where id = 14`))[0]).to.deep.equal({ minimum_qty: 1, reward_point_amount: 3 });
    await h.call('loyalty.card', 'write', [[44], { partner_id: false, expiration_date: false }]);
    expect((await h.rows(`select partner_id, expiration_date from loyalty_card where id = 44`))[0]).to.deep.equal({ partner_id: null, expiration_date: null });
  });

  it('unlink rules: an active program, a card (no group may), a missing record', async () => {
    expect((await h.fails('loyalty.program', 'unlink', [[15]])).message).to.equal('You can not delete a program in an active state');
    const card = await h.fails('loyalty.card', 'unlink', [[16]]);
    expect(card.faultCode).to.equal(4);
    expect(card.message).to.match(/^You are not allowed to delete 'Loyalty Coupon' \(loyalty.card\) records/);
    const gone = await h.fails('res.partner', 'unlink', [[999998, 999999]]);
    expect(gone.message).to.equal('Record does not exist or has been deleted.\n(Record: res.partner(999998, 999999), User: 2)');
    expect(await h.rows(`select id from loyalty_card where id = 16`)).to.have.length(1);
  });

  it('deleting the last reward of a program is refused; one used on POS lines is archived instead', async () => {
    const program = (await h.call('loyalty.program', 'create', [{ name: 'One reward', reward_ids: [[0, 0, { discount: 5 }]] }])) as number;
    const [reward] = await h.rows<{ id: number }>(`select id from loyalty_reward where program_id = ?`, [program]);
    expect((await h.fails('loyalty.reward', 'unlink', [[reward.id]])).message).to.equal('A program must have at least one reward.');
    // reward 11 (VIP15) is on a POS order line: pos_loyalty archives it rather than deleting it
    expect(await h.call('loyalty.reward', 'unlink', [[11]])).to.equal(true);
    expect((await h.rows(`select active from loyalty_reward where id = 11`))[0]).to.deep.equal({ active: false });
  });

  it('demo may not create programs: the access check runs before anything is written', async () => {
    const before = await snapshot();
    const err = await h.fails('loyalty.program', 'create', [{ name: 'Demo', reward_ids: [[0, 0, { discount: 5 }]] }], {}, 6);
    expect(err.faultCode).to.equal(4);
    expect(await snapshot()).to.deep.equal(before);
  });
});

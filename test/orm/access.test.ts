import { expect } from 'chai';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { executeKw } from '../../src/orm/call';
import { ruleDomain } from '../../src/orm/rules';
import { checkAccessRights } from '../../src/orm/access';
import { Env } from '../../src/orm/env';
import { dropSharedFacts } from '../../src/orm/shared_cache';

/**
 * Access rights and multi-company record rules on reads: a program of the Chicago company is
 * seen by a user of both companies, hidden from searches when the context allows San
 * Francisco only, and reading it by id is refused with Odoo's record-rule AccessError.
 */
describe('orm: access rights and record rules', () => {
  let sidecar: TestSidecar;
  let chicagoProgram: number;
  before(async () => {
    sidecar = await startTestSidecar('odoo17');
    const { rows } = await sidecar.ctx.db.knex.raw(
      `insert into loyalty_program (name, company_id, currency_id, program_type, applies_on, trigger, active, portal_visible, portal_point_name, sale_ok, pos_ok)
       values ('{"en_US": "Chicago Club"}', 2, 1, 'loyalty', 'both', 'auto', true, false, '{"en_US": "Points"}', true, true) returning id`,
    );
    chicagoProgram = rows[0].id;
  });
  after(async () => sidecar?.close());

  const ADMIN = 2;
  const call = (uid: number, model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) =>
    executeKw(sidecar.ctx, uid, model, method, args, kwargs);
  const env = (uid: number, context: Record<string, unknown> = {}): Env => ({ cr: sidecar.ctx.db.knex as never, uid, context, app: sidecar.ctx });

  it('a user of both companies sees the other company\'s program', async () => {
    expect(await call(ADMIN, 'loyalty.program', 'search', [[['name', '=', 'Chicago Club']]])).to.deep.equal([chicagoProgram]);
  });

  it('allowed_company_ids narrows searches and counts to the allowed companies', async () => {
    const context = { allowed_company_ids: [1] };
    expect(await call(ADMIN, 'loyalty.program', 'search', [[['name', '=', 'Chicago Club']]], { context })).to.deep.equal([]);
    const all = (await call(ADMIN, 'loyalty.program', 'search_count', [[]])) as number;
    const sf = (await call(ADMIN, 'loyalty.program', 'search_count', [[]], { context })) as number;
    expect(all - sf).to.equal(1);
  });

  it('reading a record the rules hide is refused with Odoo\'s AccessError, missing ids are skipped', async () => {
    try {
      await call(ADMIN, 'loyalty.program', 'read', [[15, chicagoProgram], ['name']], { context: { allowed_company_ids: [1] } });
      expect.fail('should have refused');
    } catch (err) {
      expect((err as Error).message).to.equal(
        "Uh-oh! Looks like you have stumbled upon some top-secret records.\n\nSorry, Mitchell Admin (id=2) doesn't have 'read' access to:\n" +
          '- Loyalty Program (loyalty.program)\n\nIf you really, really need access, perhaps you can win over your friendly administrator with a batch of freshly baked cookies.',
      );
    }
    expect(await call(ADMIN, 'loyalty.program', 'read', [[15, 999999], ['name']], { context: { allowed_company_ids: [1] } })).to.deep.equal([{ id: 15, name: 'Retail Club' }]);
  });

  it('a company outside the user\'s companies is ignored in allowed_company_ids', async () => {
    // the cashier belongs to San Francisco only: asking for Chicago does not widen the rules
    expect(await call(8, 'loyalty.program', 'search', [[['name', '=', 'Chicago Club']]], { context: { allowed_company_ids: [2, 1] } })).to.deep.equal([]);
  });

  it('exposes the rule domain and the access check for the write side', async () => {
    expect(await ruleDomain(env(ADMIN, { allowed_company_ids: [1] }), 'loyalty.program', 'write')).to.deep.equal(
      ['|', ['company_id', 'in', [1, false]], ['company_id', 'parent_of', [1]]]);
    expect(await checkAccessRights(env(6), 'loyalty.program', 'write', false)).to.equal(false);
    expect(await checkAccessRights(env(ADMIN), 'loyalty.program', 'write', false)).to.equal(true);
    expect(await ruleDomain(env(1), 'loyalty.program', 'read')).to.equal(null); // the superuser
  });

  it('the portal user reads its own commercial partner only', async () => {
    const ids = (await call(7, 'res.partner', 'search', [[]])) as number[];
    const { rows } = await sidecar.ctx.db.knex.raw(
      `select p.id from res_partner p where p.active and (p.id = (select coalesce(c.commercial_partner_id, c.id) from res_users u join res_partner c on c.id = u.partner_id where u.id = 7)
          or p.parent_id = (select coalesce(c.commercial_partner_id, c.id) from res_users u join res_partner c on c.id = u.partner_id where u.id = 7))`);
    expect([...ids].sort((a, b) => a - b)).to.deep.equal(rows.map((r: { id: number }) => r.id).sort((a: number, b: number) => a - b));
  });

  it('compiled rules are shared by the calls of a second, never across companies, and a name look-up in a rule is made again each call', async () => {
    // interleaved, well within the second the security facts are shared
    for (let k = 0; k < 3; k++) {
      for (const [companies, seen] of [[[1], []], [[2], [chicagoProgram]], [[1, 2], [chicagoProgram]]] as const) {
        const context = { allowed_company_ids: companies };
        expect(await call(ADMIN, 'loyalty.program', 'search', [[['name', '=', 'Chicago Club']]], { context })).to.deep.equal(seen);
        const read = call(ADMIN, 'loyalty.program', 'read', [[chicagoProgram], ['name']], { context });
        if (seen.length) expect(await read).to.deep.equal([{ id: chicagoProgram, name: 'Chicago Club' }]);
        else await read.then(() => expect.fail('read should be refused'), (err: Error) => expect(err.message).to.contain("doesn't have 'read' access"));
      }
    }
    // A rule naming its company: compiling it looks the name up, so renaming the company
    // changes what the next call sees even while the rule itself stays cached.
    const knex = sidecar.ctx.db.knex;
    const model = (await knex.raw(`select id from ir_model where model = 'loyalty.program'`)).rows[0].id;
    const rule = (await knex.raw(`insert into ir_rule (name, model_id, domain_force, active, perm_read, perm_write, perm_create, perm_unlink, global)
                                  values ('by company name', ?, '[(''company_id'', ''child_of'', ''Windy City'')]', true, true, true, true, true, true) returning id`, [model])).rows[0].id;
    try {
      dropSharedFacts(sidecar.ctx);
      const search = () => call(ADMIN, 'loyalty.program', 'search', [[['name', '=', 'Chicago Club']]]);
      expect(await search()).to.deep.equal([]);
      await knex.raw(`update res_company set name = 'Windy City' where id = 2`);
      expect(await search()).to.deep.equal([chicagoProgram]);
    } finally {
      await knex.raw(`delete from ir_rule where id = ?`, [rule]);
      await knex.raw(`update res_company set name = 'My Company (Chicago)' where id = 2`);
      dropSharedFacts(sidecar.ctx);
    }
  });

  it('check_access_rule answers None when the rules allow the operation, Odoo\'s errors when they do not or the record is gone', async () => {
    const context = { allowed_company_ids: [1] };
    const rule = (uid: number, ids: number[], mode: unknown, ctx = context) => call(uid, 'loyalty.program', 'check_access_rule', [ids, mode], { context: ctx });
    expect(await rule(ADMIN, [15, 15], 'write')).to.equal(null);
    expect(await rule(ADMIN, [chicagoProgram], 'write', { allowed_company_ids: [2] })).to.equal(null);
    for (const mode of ['read', 'write', 'unlink']) {
      const err = await rule(ADMIN, [15, chicagoProgram], mode).catch((e: Error) => e);
      expect(err).to.be.instanceOf(Error);
      expect((err as Error).message).to.contain(`Sorry, Mitchell Admin (id=2) doesn't have '${mode}' access to:\n- Loyalty Program (loyalty.program)`);
    }
    const gone = await rule(ADMIN, [15, 999999], 'write').catch((e: Error) => e);
    expect((gone as Error).message).to.equal('Record does not exist or has been deleted.\n(Record: loyalty.program(999999,), User: 2)');
    expect(((await rule(ADMIN, [15], 'delete').catch((e: Error) => e)) as Error).message).to.equal("Invalid mode: 'delete'");
    expect(await rule(1, [chicagoProgram, 999999], 'delete')).to.equal(null); // the superuser: no rules, the mode not even looked at
  });
});

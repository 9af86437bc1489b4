import { expect } from 'chai';
import { harness, Harness } from './harness';
import { afterWrite } from '../../src/orm/computes';
import { constrains } from '../../src/orm/constraints';
import { beforeUnlink } from '../../src/orm/ondelete';
import { ValidationError, UserError } from '../../src/errors';

/**
 * The registries model files keep Odoo's behaviour with: when afterWrite hooks and
 * constraints run, what they see, and that a refusal anywhere rolls the whole call back.
 * Registered on res.partner.category, a model no other file gives behaviour to.
 */
describe('orm write: hooks for model files', () => {
  let h: Harness;
  const seen: Array<{ kind: string; fields: string[]; ids: number[] }> = [];
  before(async () => {
    h = await harness();
    afterWrite('res.partner.category', ['name'], async (env, ids, event) => {
      seen.push({ kind: event.kind, fields: [...event.fields].sort(), ids });
      // a stored "compute": keep color in step with the name's length
      await env.cr.raw(`update res_partner_category set color = length(name->>'en_US') where id = any(?)`, [ids]);
    });
    constrains('res.partner.category', ['name'], async (env, ids) => {
      const bad = await env.cr('res_partner_category').whereIn('id', ids).whereRaw(`name->>'en_US' like '%!%'`).first('id');
      if (bad) throw new ValidationError('No shouting in tags.');
    });
    beforeUnlink('res.partner.category', async (env, ids) => {
      if (await env.cr('res_partner_category').whereIn('id', ids).whereRaw(`name->>'en_US' = 'Keep'`).first('id')) throw new UserError('This tag stays.');
    });
  });
  after(() => h?.close());

  it('afterWrite runs on create (all given fields) and on writes of its fields only, inside the call', async () => {
    const id = (await h.call('res.partner.category', 'create', [{ name: 'Gold' }])) as number;
    expect((await h.rows(`select color from res_partner_category where id = ?`, [id]))[0]).to.deep.equal({ color: 4 });
    await h.call('res.partner.category', 'write', [[id], { active: true }]);
    await h.call('res.partner.category', 'write', [[id], { name: 'Platinum' }]);
    expect(seen.filter((s) => s.ids.includes(id)).map((s) => s.kind)).to.deep.equal(['create', 'write']);
    expect(seen.find((s) => s.kind === 'create' && s.ids.includes(id))!.fields).to.include('name');
    expect((await h.rows(`select color from res_partner_category where id = ?`, [id]))[0]).to.deep.equal({ color: 8 });
  });

  it('a constraint that fails rolls back the create or write and the hooks\' changes', async () => {
    const before = await h.count('res_partner_category');
    expect((await h.fails('res.partner.category', 'create', [{ name: 'Loud!' }])).message).to.equal('No shouting in tags.');
    expect(await h.count('res_partner_category')).to.equal(before);
    const id = (await h.call('res.partner.category', 'create', [{ name: 'Calm' }])) as number;
    await h.fails('res.partner.category', 'write', [[id], { name: 'Calm!!' }]);
    expect((await h.rows(`select name->>'en_US' as name, color from res_partner_category where id = ?`, [id]))[0]).to.deep.equal({ name: 'Calm', color: 4 });
  });

  it('beforeUnlink may refuse a delete, which then deletes nothing', async () => {
    const keep = (await h.call('res.partner.category', 'create', [{ name: 'Keep' }])) as number;
    const other = (await h.call('res.partner.category', 'create', [{ name: 'Other' }])) as number;
    expect((await h.fails('res.partner.category', 'unlink', [[other, keep]])).message).to.equal('This tag stays.');
    expect(await h.rows(`select id from res_partner_category where id = any(?) order by id`, [[keep, other]])).to.have.length(2);
    expect(await h.call('res.partner.category', 'unlink', [[other]])).to.equal(true);
  });
});

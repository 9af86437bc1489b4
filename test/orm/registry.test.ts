import { expect } from 'chai';
import sinon from 'sinon';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { executeKw } from '../../src/orm/call';
import { getRegistry, refreshRegistry } from '../../src/orm/registry';

/**
 * The registry comes from ir_model / ir_model_fields: a custom field that a customer's addon
 * adds (an x_ column and its ir_model_fields row) is served without a line of code, after
 * Odoo's registry signal or an explicit refresh, without a restart.
 */
describe('orm: registry from ir_model_fields', () => {
  let sidecar: TestSidecar;
  before(async () => {
    sidecar = await startTestSidecar('odoo17');
  });
  after(async () => sidecar?.close());

  const call = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) =>
    executeKw(sidecar.ctx, 2, model, method, args, kwargs);

  /** What Odoo does when an addon or Studio adds a manual field. */
  async function addCustomField(name: string, label: string) {
    const db = sidecar.ctx.db.knex;
    await db.raw(`alter table res_partner add column ${name} varchar`);
    await db.raw(
      `insert into ir_model_fields (model_id, model, name, ttype, state, field_description, store, readonly, required, translate, copied)
       select id, 'res.partner', ?, 'char', 'manual', ?::jsonb, true, false, false, false, true from ir_model where model = 'res.partner'`,
      [name, JSON.stringify({ en_US: label, fr_FR: `${label} (fr)` })],
    );
    await db.raw(`update res_partner set ${name} = 'gold' where id = 63`);
    await db.raw(`select nextval('base_registry_signaling')`);
  }

  it('serves a custom field after an explicit refresh', async () => {
    await addCustomField('x_tier', 'Tier');
    await refreshRegistry(sidecar.ctx);
    const desc = (await call('res.partner', 'fields_get', [['x_tier']], { attributes: ['string', 'type', 'manual', 'store'] })) as Record<string, unknown>;
    expect(desc).to.deep.equal({ x_tier: { string: 'Tier', type: 'char', manual: true, store: true } });
    expect(await call('res.partner', 'search', [[['x_tier', '=', 'gold']]])).to.deep.equal([63]);
    expect(await call('res.partner', 'read', [[63], ['x_tier']])).to.deep.equal([{ id: 63, x_tier: 'gold' }]);
  });

  it("reloads by itself when Odoo's registry signal moves", async () => {
    const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
    try {
      await getRegistry(sidecar.ctx);
      await addCustomField('x_segment', 'Segment');
      clock.tick(5000);
      await getRegistry(sidecar.ctx); // notices the signal in the background
      for (let i = 0; i < 50 && !(await getRegistry(sidecar.ctx)).model('res.partner').fields.has('x_segment'); i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect((await getRegistry(sidecar.ctx)).model('res.partner').fields.has('x_segment')).to.equal(true);
      expect(await call('res.partner', 'search_read', [[['x_segment', '!=', false]], ['x_segment']])).to.deep.equal([{ id: 63, x_segment: 'gold' }]);
    } finally {
      clock.restore();
    }
  });

  it("answers Odoo's error for models it does not serve (unknown, or without a table)", async () => {
    for (const model of ['no.such.model', 'mail.thread']) {
      try {
        await call(model, 'search', [[]]);
        expect.fail('should have refused');
      } catch (err) {
        expect((err as Error).message).to.equal(`Object ${model} doesn't exist`);
      }
    }
  });

  it('reads attachment-backed binaries as False (no filestore is shared), and searches "is set" through ir_attachment', async () => {
    expect(await call('res.partner', 'read', [[14], ['image_128']])).to.deep.equal([{ id: 14, image_128: false }]);
    const { rows } = await sidecar.ctx.db.knex.raw(
      `select distinct res_id as id from ir_attachment where res_model = 'res.partner' and res_field = 'image_128' order by 1`);
    const withImage = (await call('res.partner', 'search', [[['image_128', '!=', false]]], { order: 'id', context: { active_test: false } })) as number[];
    expect(withImage).to.deep.equal(rows.map((r: { id: number }) => r.id));
    expect(await call('res.partner', 'search', [[['image_128', '=', 'x'], ['id', '=', 14]]])).to.deep.equal([14]);
  });
});

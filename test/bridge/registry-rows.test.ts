/**
 * No ir_model rows Odoo cannot load: databases where an earlier sidecar described its ledger
 * models in ir_model / ir_model_fields without a module get them removed (0145), unless the
 * bridge addon adopted them; the sidecar serves those models from its own description.
 */
import { expect } from 'chai';
import { knex, Knex } from 'knex';
import { migrate } from '../../src/db/migrate';
import { freshDatabase, TestDatabase } from '../helpers/pg';

/** What 0051_ledger_models used to write for one model: the model, two fields, a selection value, an access row. */
async function oldRows(db: Knex, model: string): Promise<number> {
  const [{ id }] = (await db.raw(`insert into ir_model (model, "order", state, name, transient) values (?, 'id desc', 'base', '{"en_US": "x"}', false) returning id`, [model])).rows;
  const [field] = (await db.raw(`insert into ir_model_fields (model_id, model, name, ttype, state, field_description, store)
                                 values (?, ?, 'kind', 'selection', 'base', '{"en_US": "Kind"}', true) returning id`, [id, model])).rows;
  await db.raw(`insert into ir_model_fields (model_id, model, name, ttype, state, field_description, store) values (?, ?, 'points', 'float', 'base', '{"en_US": "Points"}', true)`, [id, model]);
  await db.raw(`insert into ir_model_fields_selection (field_id, value, name, sequence) values (?, 'earn', '{"en_US": "Earned"}', 0)`, [field.id]);
  await db.raw(`insert into ir_model_access (name, active, model_id, perm_read, perm_write, perm_create, perm_unlink) values ('x', true, ?, true, false, false, false)`, [id]);
  return id;
}

describe('bridge: registry rows without a module', () => {
  let database: TestDatabase;
  let db: Knex;
  before(async () => {
    database = await freshDatabase('odoo17');
    db = knex({ client: 'pg', connection: database.url, pool: { min: 0, max: 2 } });
    await migrate(db);
  });
  after(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('a migrated database has no ir_model row for the sidecar\'s models', async () => {
    expect(await db('ir_model').whereIn('model', ['loyalty.point.move', 'loyalty.point.history', 'sidecar.job.run']).pluck('model')).to.deep.equal([]);
  });

  it('rows an earlier sidecar wrote are removed; rows the bridge addon adopted are kept', async () => {
    const stale = await oldRows(db, 'loyalty.point.history');
    const adopted = await oldRows(db, 'loyalty.point.move');
    await db('ir_model_data').insert({ module: 'loyalty_sidecar_bridge', name: 'model_loyalty_point_move', model: 'ir.model', res_id: adopted, noupdate: false });
    await db('sidecar_knex_migrations').where({ name: '0145_registry_rows' }).delete();
    await migrate(db);
    expect(await db('ir_model').where({ id: stale }).first()).to.equal(undefined);
    expect(await db('ir_model_fields').where({ model_id: stale }).pluck('id')).to.deep.equal([]);
    expect(await db('ir_model_access').where({ model_id: stale }).pluck('id')).to.deep.equal([]);
    expect((await db('ir_model').where({ id: adopted }).first('model')).model).to.equal('loyalty.point.move');
    expect(await db('ir_model_fields').where({ model_id: adopted }).pluck('name')).to.have.members(['kind', 'points']);
  });
});

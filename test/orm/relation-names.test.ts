import { expect } from 'chai';
import { Client } from 'pg';
import { freshDatabase, TestDatabase } from '../helpers/pg';
import { relationNames, checkPgName } from '../../src/orm/relation-names';
import { loadRegistry } from '../../src/orm/registry';
import knex, { Knex } from 'knex';

/**
 * Many2many relation tables: the registry reads Odoo's own names from ir_model_fields and, for a
 * stored many2many whose row lacks them, computes them as Odoo 17's fields.Many2many does.
 */
describe('orm: many2many relation table names', () => {
  let database: TestDatabase;
  let db: Knex;
  before(async () => {
    database = await freshDatabase('odoo17');
    db = knex({ client: 'pg', connection: database.url });
  });
  after(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('refuses, as check_pg_name does, a name over 63 bytes instead of letting PostgreSQL truncate it into another', () => {
    const long = 'product_template_attribute_exclusion';
    expect(() => relationNames(long, 'product_template_attribute_value')).to.throw(/^Table name 'product_template_attribute_exclusion_product_template_attribute_value_rel' is too long$/);
    expect(() => checkPgName('bad name')).to.throw(/Invalid characters/);
    expect(() => relationNames('res_partner', 'res_partner')).to.throw(/not possible when source and destination models are the same/);
  });

  it('reads a many2many whose ir_model_fields row lost its relation names through the table Odoo would use', async () => {
    await db.raw(`update ir_model_fields set relation_table = null, column1 = null, column2 = null where model = 'loyalty.rule' and name = 'product_ids'`);
    const reg = await loadRegistry(db);
    const f = reg.model('loyalty.rule').fields.get('product_ids')!;
    expect([f.relationTable, f.column1, f.column2]).to.deep.equal(['loyalty_rule_product_product_rel', 'loyalty_rule_id', 'product_product_id']);
    const pg = new Client({ connectionString: database.url });
    await pg.connect();
    try {
      expect((await pg.query(`select to_regclass('loyalty_rule_product_product_rel') is not null as ok`)).rows[0].ok).to.equal(true);
    } finally {
      await pg.end();
    }
  });
});

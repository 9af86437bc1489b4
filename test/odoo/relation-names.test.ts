/**
 * Many2many relation names against Odoo 17 itself: every many2many of the loaded registry that
 * does not name its table (Odoo's own `_explicit` flag) gets the table the sidecar computes
 * (src/orm/relation-names.ts).
 */
import { expect } from 'chai';
import { relationNames } from '../../src/orm/relation-names';
import { describeOdoo, freshOdooDatabase, OdooDatabase, odooShell } from '../helpers/odoo';

describeOdoo('real Odoo 17: implicit many2many relation names', function () {
  let database: OdooDatabase;
  before(async () => {
    database = await freshOdooDatabase();
  });
  after(async () => database?.drop());

  it('computes the table and columns Odoo computed for each implicit many2many', async () => {
    const out = await odooShell(database.name, `
import json
rows = []
for model in env.registry.values():
    for field in model._fields.values():
        if field.type == 'many2many' and field.store and not getattr(field, '_explicit', True) and not field.related:
            rows.append([model._table, env[field.comodel_name]._table, field.relation, field.column1, field.column2])
print('ROWS', json.dumps(rows))
`);
    const rows = JSON.parse(out.split('\n').find((l) => l.startsWith('ROWS '))!.slice(5)) as Array<[string, string, string, string, string]>;
    expect(rows.length).to.be.greaterThan(10);
    // _explicit is about the table; columns a field names itself are kept, the others defaulted
    let defaultedColumns = 0;
    for (const [table, cotable, relation, column1, column2] of rows) {
      const ours = relationNames(table, cotable);
      expect(ours.table, `${table} -> ${cotable}`).to.equal(relation);
      if (column1 === ours.column1 && column2 === ours.column2) defaultedColumns++;
    }
    expect(defaultedColumns).to.be.greaterThan(0);
  });
});

import { expect } from 'chai';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { executeKw } from '../../src/orm/call';
import { getRegistry } from '../../src/orm/registry';
import { isServed } from '../../src/orm/served';
import { makeIdentifier, tableAlias } from '../../src/orm/sql';

/**
 * Never a silent False: a non-stored field Odoo computes in Python that the sidecar does not
 * compute is refused when named (a UserError saying so), and left out of a read without field
 * list; every field it does serve reads as before.
 */
describe('orm: fields the sidecar serves, and the ones it says it does not', () => {
  let sidecar: TestSidecar;
  before(async () => {
    sidecar = await startTestSidecar('odoo17');
  });
  after(async () => sidecar?.close());

  const call = (uid: number, model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) =>
    executeKw(sidecar.ctx, uid, model, method, args, kwargs);

  /** A field some model the dump has records of has, that no file computes (pos.session's cash figures, today). */
  async function unserved(): Promise<{ model: string; field: string; id: number }> {
    const reg = await getRegistry(sidecar.ctx);
    for (const model of ['pos.session', 'pos.config', 'res.company', 'account.tax']) {
      const m = reg.model(model);
      const f = [...m.fields.values()].find((x) => !isServed(reg, m, x));
      if (f) return { model, field: f.name, id: ((await call(2, model, 'search', [[]], { limit: 1 })) as number[])[0] };
    }
    throw new Error('every field of the candidate models is served: pick another model for this test');
  }

  for (const uid of [2, 6]) {
    it(`refuses a field it does not compute, by name, Odoo-style (uid ${uid}), in read and search_read`, async () => {
      const { model, field, id } = await unserved();
      for (const run of [() => call(uid, model, 'read', [[id], ['name', field]]), () => call(uid, model, 'search_read', [[['id', '=', id]], ['name', field]])]) {
        const err = await run().then(() => null, (e: Error & { pythonName?: string }) => e);
        expect(err?.pythonName).to.equal('odoo.exceptions.UserError');
        expect(err?.message).to.equal(`The sidecar does not compute the field '${field}' of '${model}': read it through Odoo.`);
      }
    });

    it(`leaves it out of a read without field list and answers every other field (uid ${uid})`, async () => {
      const { model, field, id } = await unserved();
      const [row] = (await call(uid, model, 'read', [[id]])) as Array<Record<string, unknown>>;
      expect(row).to.not.have.property(field);
      expect(row).to.include({ id });
      expect(row).to.have.property('name');
      const [viaSearch] = (await call(uid, model, 'search_read', [[['id', '=', id]]])) as Array<Record<string, unknown>>;
      expect(Object.keys(viaSearch).sort()).to.deep.equal(Object.keys(row).sort());
      const described = (await call(uid, model, 'fields_get', [], { attributes: ['type'] })) as Record<string, unknown>;
      expect(described, 'fields_get does not list it either').to.not.have.property(field);
      expect(described).to.have.property('name');
    });
  }

  it('computes the POS order fields Odoo computes (currency, margin, tracking number) instead of False', async () => {
    const [order] = (await call(6, 'pos.order', 'read', [[1], ['currency_id', 'tracking_number', 'margin', 'is_total_cost_computed']])) as Array<Record<string, unknown>>;
    expect(order.currency_id).to.deep.equal([1, 'USD']);
    expect(order.tracking_number).to.match(/^\d{3}$/);
    expect(order.is_total_cost_computed).to.be.a('boolean');
  });

  it("names joined tables as Odoo's make_identifier: long aliases cut at 54 and suffixed with their CRC32, so they never collide", () => {
    const a = tableAlias('product_attribute_custom_value__custom_product_template_attribute_value_id', 'attribute_line_id');
    const b = tableAlias('product_attribute_custom_value__custom_product_template_attribute_value_id', 'product_attribute_value_id');
    expect(a).to.have.length(63);
    expect(a).to.not.equal(b);
    expect(a.slice(0, 54)).to.equal(b.slice(0, 54));
    expect(makeIdentifier('res_users__parent_id')).to.equal('res_users__parent_id');
    // Odoo 17: make_identifier('a' * 64) == 'a' * 54 + '_' + '%08x' % crc32(b'a' * 64)
    expect(makeIdentifier('a'.repeat(64))).to.equal(`${'a'.repeat(54)}_${'89b46555'}`);
  });

  it('reads a one2many whose comodel orders through long join aliases (custom attribute values of POS lines)', async () => {
    const rows = (await call(2, 'pos.order.line', 'search_read', [[], ['custom_attribute_value_ids']], { limit: 5 })) as Array<{ custom_attribute_value_ids: number[] }>;
    expect(rows).to.have.length(5);
    for (const r of rows) expect(r.custom_attribute_value_ids).to.be.an('array');
  });
});

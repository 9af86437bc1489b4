import { expect } from 'chai';
import { harness, Harness } from './harness';

/** res.partner's stored columns kept as Odoo's base computes them. */
describe('orm write: res.partner', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(() => h?.close());
  const partner = async (id: number) =>
    (await h.rows(`select name, complete_name, commercial_partner_id, commercial_company_name, street, city, country_id, vat,
                          email_normalized, phone_sanitized, membership_state, partner_share, lang, type, active
                     from res_partner where id = ?`, [id]))[0];

  it('a contact created under a company takes its address, VAT and names; renaming the company renames the contact', async () => {
    const company = (await h.call('res.partner', 'create', [{ name: 'Acme', is_company: true, street: '1 Main St', city: 'Springfield', country_id: 233, vat: 'US123' }])) as number;
    const contact = (await h.call('res.partner', 'create', [{ name: 'Wile', parent_id: company, email: 'Wile E. <WILE@Acme.example>', mobile: ' +1 555 0101 ' }])) as number;
    expect(await partner(contact)).to.deep.equal({
      name: 'Wile', complete_name: 'Acme, Wile', commercial_partner_id: company, commercial_company_name: 'Acme',
      street: '1 Main St', city: 'Springfield', country_id: 233, vat: 'US123',
      email_normalized: 'wile@acme.example', phone_sanitized: '+1 555 0101', membership_state: 'none', partner_share: true,
      lang: 'en_US', type: 'contact', active: true,
    });
    await h.call('res.partner', 'write', [[company], { name: 'Acme Corp', city: 'Shelbyville' }]);
    const after = await partner(contact);
    expect([after.complete_name, after.city]).to.deep.equal(['Acme Corp, Wile', 'Shelbyville']);
  });

  it('refuses a loop in the hierarchy and keeps the data as it was', async () => {
    const a = (await h.call('res.partner', 'create', [{ name: 'A', is_company: true }])) as number;
    const b = (await h.call('res.partner', 'create', [{ name: 'B', parent_id: a }])) as number;
    const err = await h.fails('res.partner', 'write', [[a], { parent_id: b }]);
    expect(err.message).to.equal('You cannot create recursive Partner hierarchies.');
    expect((await partner(a)).commercial_partner_id).to.equal(a);
  });

  it('writes a translated field in the context language, keeping the others', async () => {
    await h.call('product.template', 'write', [[5], { name: 'Chaise de bureau' }], { context: { lang: 'fr_FR' } });
    const [row] = await h.rows<{ name: Record<string, string> }>(`select name from product_template where id = 5`);
    expect(row.name.fr_FR).to.equal('Chaise de bureau');
    expect(row.name.en_US).to.equal('Office Chair');
    await h.call('product.template', 'write', [[5], { name: 'Desk Chair' }]);
    const [again] = await h.rows<{ name: Record<string, string> }>(`select name from product_template where id = 5`);
    expect(again.name).to.include({ en_US: 'Desk Chair', fr_FR: 'Chaise de bureau' });
  });

  it('writes company-dependent fields into ir_property for the call\'s company', async () => {
    const barcode = async (id: number) => ((await h.call('res.partner', 'read', [[id], ['barcode']])) as Array<{ barcode: unknown }>)[0].barcode;
    await h.call('res.partner', 'write', [[9, 58], { barcode: '0429999999999' }]);
    expect([await barcode(9), await barcode(58)]).to.deep.equal(['0429999999999', '0429999999999']);
    expect(await h.rows(`select res_id, company_id, type from ir_property where name = 'barcode' and value_text = '0429999999999' order by res_id`)).to.deep.equal([
      { res_id: 'res.partner,58', company_id: 1, type: 'char' },
      { res_id: 'res.partner,9', company_id: 1, type: 'char' },
    ]);
    await h.call('res.partner', 'write', [[58], { barcode: false }]);
    expect(await barcode(58)).to.equal(false);
    expect(await h.rows(`select 1 from ir_property where name = 'barcode' and res_id = 'res.partner,58'`)).to.have.length(0);
  });
});

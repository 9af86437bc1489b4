import { expect } from 'chai';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { executeKw } from '../../src/orm/call';
import { searchIds } from '../../src/orm/search';
import { Scope, searchSql } from '../../src/orm/domain';
import { Env } from '../../src/orm/env';
import { OdooError } from '../../src/errors';

/**
 * The domain compiler on a real Odoo 17 database: hostile field names, operators and order
 * clauses are refused before anything reaches SQL, values are always bound, and each
 * operator means what it means in Odoo (checked against plain SQL on the same data).
 */
describe('orm: domain compiler', () => {
  let sidecar: TestSidecar;
  before(async () => {
    sidecar = await startTestSidecar('odoo17');
  });
  after(async () => sidecar?.close());

  const ADMIN = 2;
  const search = (model: string, domain: unknown, kw: Record<string, unknown> = {}) =>
    executeKw(sidecar.ctx, ADMIN, model, 'search', [domain], kw) as Promise<number[]>;
  const sqlIds = async (query: string, params: unknown[] = []) =>
    (await sidecar.ctx.db.knex.raw(query, params as never[])).rows.map((r: { id: number }) => r.id).sort((a: number, b: number) => a - b);
  const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

  async function refusal(p: Promise<unknown>): Promise<string> {
    try {
      await p;
    } catch (err) {
      expect(err).to.be.instanceOf(OdooError);
      return (err as Error).message;
    }
    throw new Error('expected a refusal');
  }

  async function partnersStillThere() {
    const { rows } = await sidecar.ctx.db.knex.raw('select count(*)::int as n from res_partner');
    expect(rows[0].n).to.be.greaterThan(70);
  }

  describe('hostile input never reaches SQL', () => {
    for (const name of ['name; DROP TABLE res_partner', 'name" OR 1=1 --', 'id) OR (1=1', 'name->>0', '"name"', '', 'name.']) {
      it(`field name ${JSON.stringify(name)} is an Invalid field`, async () => {
        const msg = await refusal(search('res.partner', [[name, '=', 'x']]));
        expect(msg).to.match(/^Invalid (field|leaf)/);
        await partnersStillThere();
      });
    }

    for (const op of ['= ANY(SELECT 1) OR 1=', '; DELETE FROM res_partner; --', '==', 'not  like', 'similar to', '~']) {
      it(`operator ${JSON.stringify(op)} is an Invalid leaf`, async () => {
        const msg = await refusal(search('res.partner', [['name', op, 'x']]));
        expect(msg).to.equal(`Invalid leaf ('name', ${JSON.stringify(op).replace(/^"|"$/g, "'")}, 'x')`);
        await partnersStillThere();
      });
    }

    for (const order of ['name; DELETE FROM res_partner', 'name desc, (select 1)', 'id asc nulls first; drop table x', 'name collate "C"', 'name desc desc', 'length(name)']) {
      it(`order ${JSON.stringify(order)} is refused`, async () => {
        const msg = await refusal(search('res.partner', [], { order }));
        expect(msg).to.equal(`Invalid "order" specified (${order}). A valid "order" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)`);
        await partnersStillThere();
      });
    }

    it('an order on an unknown field names it', async () => {
      expect(await refusal(search('res.partner', [], { order: 'id, nosuch desc' }))).to.equal("Invalid field 'nosuch' on model 'res.partner'");
    });

    it('an unknown field at the end of a dotted path names the comodel', async () => {
      expect(await refusal(search('loyalty.card', [['partner_id.nosuch', '=', 1]]))).to.equal("Invalid field res.partner.nosuch in leaf ('nosuch', '=', 1)");
    });

    it('values are bound parameters, never SQL text', async () => {
      const env: Env = { cr: sidecar.ctx.db.knex as never, uid: ADMIN, context: {}, app: sidecar.ctx };
      const scope = await Scope.of(env);
      const evil = "x' OR '1'='1";
      const q = await searchSql(scope, scope.reg.model('res.partner'), [['name', 'ilike', evil], ['ref', 'in', ["a'); DROP TABLE x; --"]]], { order: 'name' });
      expect(q.text).not.to.contain(evil);
      expect(q.text).not.to.contain('DROP');
      expect(q.params).to.include(`%${evil}%`);
      expect(await search('res.partner', [['name', '=', evil]])).to.deep.equal([]);
    });

    it('a domain that is not a list, or a malformed one, is refused with Odoo\'s words', async () => {
      expect(await refusal(search('res.partner', 'name = x' as never))).to.equal("Domains to normalize must have a 'domain' form: a list or tuple of domain components");
      expect(await refusal(search('res.partner', ['&', ['name', '=', 'x']]))).to.equal("Domain ['&', ['name', '=', 'x']] is syntactically not correct.");
      expect(await refusal(search('res.partner', [['name', '=', 'x', 'y']]))).to.equal('too many values to unpack (expected 3)');
      expect(await refusal(search('res.partner', [['id', 'in', 'abc']]))).to.equal("Invalid domain term ('id', 'in', 'abc')");
    });
  });

  describe('operators mean what they mean in Odoo', () => {
    it("'<>' is '!=' and keeps NULLs", async () => {
      const got = await search('res.partner', [['ref', '<>', 'CUST-0001']], { context: { active_test: false } });
      expect(sorted(got)).to.deep.equal(await sqlIds(`select id from res_partner where ref is distinct from 'CUST-0001'`));
    });

    it("'in' with False also matches empty values; 'not in' with False excludes them", async () => {
      const inIds = await search('loyalty.card', [['partner_id', 'in', [63, false]]]);
      expect(sorted(inIds)).to.deep.equal(await sqlIds('select id from loyalty_card where partner_id = 63 or partner_id is null'));
      const notIn = await search('loyalty.card', [['partner_id', 'not in', [63, false]]]);
      expect(sorted(notIn)).to.deep.equal(await sqlIds('select id from loyalty_card where partner_id <> 63'));
    });

    it("'=like' keeps the caller's wildcards, 'like' wraps the value in %", async () => {
      expect(sorted(await search('res.partner', [['ref', '=like', 'CUST-000%']]))).to.deep.equal(
        await sqlIds(`select id from res_partner where active and ref like 'CUST-000%'`));
      expect(sorted(await search('res.partner', [['ref', 'like', 'UST-00']]))).to.deep.equal(
        await sqlIds(`select id from res_partner where active and ref like '%UST-00%'`));
    });

    it("'!' negates a whole sub-expression, nested in '|' and '&'", async () => {
      const got = await search('loyalty.card', ['|', '!', ['program_id', 'in', [15, 16]], '&', ['points', '>', 100], ['program_id', '=', 16]]);
      expect(sorted(got)).to.deep.equal(await sqlIds('select id from loyalty_card where not (program_id in (15, 16)) or (points > 100 and program_id = 16)'));
    });

    it("'child_of' uses parent_path where the model keeps it (product categories)", async () => {
      const got = await search('product.product', [['categ_id', 'child_of', 1]], { context: { active_test: false } });
      expect(sorted(got)).to.deep.equal(await sqlIds(`select p.id from product_product p join product_template t on t.id = p.product_tmpl_id
        join product_category c on c.id = t.categ_id where c.parent_path like (select parent_path from product_category where id = 1) || '%'`));
    });

    it("'parent_of' climbs to the root", async () => {
      const { rows } = await sidecar.ctx.db.knex.raw('select id, parent_path from product_category where parent_id is not null order by id desc limit 1');
      const chain = String(rows[0].parent_path).split('/').filter(Boolean).map(Number);
      expect(sorted(await search('product.category', [['id', 'parent_of', rows[0].id]]))).to.deep.equal(sorted(chain));
    });

    it('a datetime compared with a date: < takes the day start, <= the day end', async () => {
      const lt = await search('pos.order', [['date_order', '<', '2026-11-10']]);
      const le = await search('pos.order', [['date_order', '<=', '2026-11-10']]);
      expect(sorted(lt)).to.deep.equal(await sqlIds(`select id from pos_order where date_order < '2026-11-10 00:00:00'`));
      expect(sorted(le)).to.deep.equal(await sqlIds(`select id from pos_order where date_order <= '2026-11-10 23:59:59'`));
    });

    it('many2many not in excludes records having any of the ids', async () => {
      const got = await search('res.partner', [['category_id', 'not in', [8]]], { context: { active_test: false } });
      expect(sorted(got)).to.deep.equal(await sqlIds(`select id from res_partner p where not exists
        (select 1 from res_partner_res_partner_category_rel r where r.partner_id = p.id and r.category_id = 8)`));
    });

    it("a leaf on 'active' turns active_test off for that search", async () => {
      const got = await search('res.partner', [['active', 'in', [true, false]], ['id', '<', 60]]);
      expect(sorted(got)).to.deep.equal(await sqlIds('select id from res_partner where id < 60'));
    });

    it('a many2one compared with a name matches through the comodel name search', async () => {
      const got = await search('loyalty.card', [['program_id', 'in', ['Retail Club', 'Gift Cards']]]);
      expect(sorted(got)).to.deep.equal(await sqlIds(`select c.id from loyalty_card c join loyalty_program p on p.id = c.program_id
        where p.name->>'en_US' in ('Retail Club', 'Gift Cards')`));
    });

    it('searchIds (the engine\'s entry point) honours order, limit and offset', async () => {
      const env: Env = { cr: sidecar.ctx.db.knex as never, uid: ADMIN, context: {}, app: sidecar.ctx };
      const all = await searchIds(env, 'product.product', [['list_price', '>=', 100]], { order: 'id' });
      expect(all).to.deep.equal(await sqlIds(`select p.id from product_product p join product_template t on t.id = p.product_tmpl_id
        where p.active and t.list_price >= 100`));
      expect(await searchIds(env, 'product.product', [['list_price', '>=', 100]], { order: 'id', limit: 2, offset: 1 })).to.deep.equal(all.slice(1, 3));
      // limit=0 is no limit in Odoo (clients such as odoo-await send it)
      expect(await searchIds(env, 'product.product', [['list_price', '>=', 100]], { order: 'id', limit: 0 })).to.deep.equal(all);
      expect(await executeKw(sidecar.ctx, ADMIN, 'res.partner', 'search_read', [[['id', '=', 14]]], { fields: ['name'], limit: 0 })).to.deep.equal([{ id: 14, name: 'Azure Interior' }]);
    });
  });
});

/**
 * The demo data set loads into a standalone database, on the real PostgreSQL and on PGlite,
 * once; it is the dump's own rows; it has what a newcomer needs to explore the sidecar.
 */
import { expect } from 'chai';
import { Knex } from 'knex';
import { authenticate } from '../../src/auth/credentials';
import { openDatabase } from '../../src/db/connection';
import { loadDemoSeeds } from '../../src/db/seed';
import { migrate } from '../../src/db/migrate';
import { freshDatabase, probeServer, serverReachable } from '../helpers/pg';
import { standaloneEngine, standaloneTestDatabase, StandaloneTestDatabase } from '../helpers/standalone';
import { ownedColumns } from '../../src/db/owned';

const PROGRAM_TYPES = ['coupons', 'gift_card', 'loyalty', 'promotion', 'ewallet', 'promo_code', 'buy_x_get_y', 'next_order_coupons'];

async function count(db: Knex, table: string, where?: (q: Knex.QueryBuilder) => void): Promise<number> {
  const q = db(table);
  if (where) where(q);
  return Number((await q.count({ n: '*' }))[0].n);
}

function describeSeeds(engine: 'auto' | 'pglite', label: string): void {
  describe(`foundation: demo seeds (${label})`, () => {
    let sa: StandaloneTestDatabase;
    let db: Knex;
    before(async () => {
      sa = await standaloneTestDatabase({ engine });
      db = sa.db.knex;
    });
    after(async () => sa?.drop());

    it('has every loyalty program type, each with rules and rewards', async () => {
      const rows: Array<{ program_type: string; rules: string; rewards: string }> = await db('loyalty_program as p')
        .select('p.program_type')
        .countDistinct({ rules: 'r.id', rewards: 'w.id' })
        .leftJoin('loyalty_rule as r', 'r.program_id', 'p.id')
        .leftJoin('loyalty_reward as w', 'w.program_id', 'p.id')
        .groupBy('p.program_type');
      expect(rows.map((r) => r.program_type).sort()).to.deep.equal([...PROGRAM_TYPES].sort());
      for (const r of rows) {
        expect(Number(r.rules), r.program_type).to.be.greaterThan(0);
        expect(Number(r.rewards), r.program_type).to.be.greaterThan(0);
      }
    });

    it('has partners, products with taxes, cards with points, paid POS orders, membership products and lines', async () => {
      expect(await count(db, 'res_partner', (q) => q.where({ active: true, is_company: false }))).to.be.greaterThan(40);
      expect(await count(db, 'product_taxes_rel')).to.be.greaterThan(20);
      expect(await count(db, 'account_tax', (q) => q.where({ type_tax_use: 'sale' }))).to.be.greaterThan(0);
      expect(await count(db, 'loyalty_card', (q) => q.where('points', '>', 0).whereNotNull('partner_id'))).to.be.greaterThan(10);
      expect(await count(db, 'pos_order', (q) => q.whereIn('state', ['paid', 'done', 'invoiced']))).to.be.greaterThan(20);
      expect(await count(db, 'pos_order_line', (q) => q.where({ is_reward_line: true }))).to.be.greaterThan(0);
      expect(await count(db, 'product_template', (q) => q.where({ membership: true }))).to.equal(4);
      expect(await count(db, 'membership_membership_line')).to.be.greaterThan(10);
      // Values come back typed as on the pg driver: numeric → number, date → 'YYYY-MM-DD' text.
      const order = await db('pos_order').orderBy('id').first('amount_total', 'date_order');
      expect(order.amount_total).to.be.a('number');
      expect(order.date_order).to.match(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    });

    it('lets admin/admin and demo/demo log in with Odoo pbkdf2-sha512 hashes', async () => {
      const stored = await db('res_users').whereIn('login', ['admin', 'demo']).pluck('password');
      for (const hash of stored) expect(hash).to.match(/^\$pbkdf2-sha512\$600000\$/);
      expect(await authenticate(db, 'admin', 'admin')).to.equal(2);
      expect(await authenticate(db, 'demo', 'demo')).to.equal(6);
      expect(await authenticate(db, 'demo', 'admin')).to.equal(null);
    });

    it('loads once: a second load changes nothing', async () => {
      const before = await count(db, 'res_partner');
      expect(await loadDemoSeeds(db)).to.equal('already-loaded');
      expect(await count(db, 'res_partner')).to.equal(before);
    });

    it('adopts the demo data as the sidecar adopts an attached database: opening moves, paid orders processed', async () => {
      const unbalanced = await db.raw(`
        select c.id from loyalty_card c left join loyalty_point_move m on m.card_id = c.id
         group by c.id having abs(max(c.points) - coalesce(sum(m.points), 0)) > 0.0001`);
      expect(unbalanced.rows).to.deep.equal([]);
      expect(await count(db, 'loyalty_point_move', (q) => q.where({ kind: 'opening' }))).to.be.greaterThan(10);
      const unprocessed = await db('pos_order').whereIn('state', ['paid', 'done', 'invoiced']).whereNotIn('id', db('sidecar_processed_order').select('pos_order_id')).pluck('id');
      expect(unprocessed).to.deep.equal([]);
    });

    it('continues every sequence after the seeded ids', async () => {
      const max = (await db('res_partner').max({ m: 'id' }))[0].m as number;
      const [{ id }] = await db('res_partner').insert({ name: 'New customer', type: 'contact', active: true }).returning('id');
      expect(id).to.be.greaterThan(max);
      const card = await db('loyalty_card').insert({ code: 'seq-check', program_id: 6, points: 0 }).returning('id');
      expect(card[0].id).to.be.greaterThan(77);
    });
  });
}

describeSeeds('auto', 'standalone database on the real PostgreSQL, PGlite when none answers');
describeSeeds('pglite', 'embedded PGlite');

describe('foundation: demo seeds are the dump\'s own rows', function () {
  it('copies the business tables row for row, and refuses an attached database', async function () {
    if (!(await serverReachable())) this.skip();
    const sa = await standaloneTestDatabase({ engine: 'auto' });
    const odooDb = await freshDatabase('odoo17');
    const odoo = await openDatabase({ databaseUrl: odooDb.url, dataDir: '' }, 2);
    try {
      // Both carry the sidecar's migrations (its columns on Odoo's tables), as in production.
      await migrate(odoo.knex);
      for (const table of ['res_partner', 'res_users', 'product_template', 'product_product', 'loyalty_program', 'loyalty_rule', 'loyalty_reward', 'loyalty_card', 'pos_order', 'pos_order_line', 'pos_payment', 'membership_membership_line']) {
        // Columns the sidecar adds to Odoo's tables (src/db/owned.ts) are left out.
        const rows = async (k: Knex) => (await k.raw(`select to_jsonb(t) - ?::text[] as r from ${table} t order by id`, [ownedColumns(table)])).rows.map((x: { r: unknown }) => x.r);
        expect(await rows(sa.db.knex), table).to.deep.equal(await rows(odoo.knex));
      }
      let refused: Error | null = null;
      await loadDemoSeeds(odoo.knex).catch((err: Error) => (refused = err));
      expect(refused).to.be.instanceOf(Error);
      expect(String(refused)).to.match(/attached/);
    } finally {
      await odoo.close();
      await odooDb.drop();
      await sa.drop();
    }
  });
});

describe('foundation: test databases without a PostgreSQL server', () => {
  it('falls back to PGlite when no server answers, and only then', async () => {
    // Port 1 on the loopback: nothing listens there, the connection is refused at once.
    const nobody = () => probeServer('postgres://postgres@127.0.0.1:1/postgres');
    expect(await nobody()).to.equal(false);
    expect(await standaloneEngine('auto', nobody)).to.equal('pglite');
    expect(await standaloneEngine('auto', async () => true)).to.equal('postgres');
    expect(await standaloneEngine('pglite', async () => true)).to.equal('pglite');
  });
});

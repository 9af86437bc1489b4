/**
 * The sidecar connected as another PostgreSQL role than Odoo's: the tables it creates belong to
 * it, and its migrations give Odoo's role (the owner of Odoo's tables, or ODOO_DB_ROLE) SELECT
 * on those the bridge addon reads, and nothing else. Checked by connecting as Odoo's role.
 */
import { expect } from 'chai';
import { Client } from 'pg';
import { knex, Knex } from 'knex';
import { migrate } from '../../src/db/migrate';
import { ODOO_MODEL_TABLES, ODOO_READABLE_TABLES } from '../../src/db/odoo-role';
import { freshOdooDatabase, ODOO_ROLE, OdooDatabase } from '../helpers/odoo';

describe('bridge: Odoo\'s database role and the sidecar\'s tables', () => {
  let database: OdooDatabase;
  let db: Knex;
  /** A query as Odoo's own role: its rows, or the error PostgreSQL gave. */
  const asOdoo = async (text: string): Promise<unknown[] | string> => {
    const c = new Client({ connectionString: database.roleUrl });
    await c.connect();
    try {
      return (await c.query(text)).rows;
    } catch (err) {
      return (err as Error).message;
    } finally {
      await c.end();
    }
  };

  before(async () => {
    database = await freshOdooDatabase();
    // The sidecar as a superuser: another role than Odoo's, which owns the restored dump.
    db = knex({ client: 'pg', connection: database.url, pool: { min: 0, max: 2 } });
    await migrate(db);
  });
  after(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('the sidecar\'s tables and views belong to its own role; Odoo\'s role reads the ones the addon reads', async () => {
    const owners = (await db.raw(`select relname, pg_get_userbyid(relowner) as owner from pg_class
                                    where relname = any(?) and relkind in ('r', 'v', 'm') order by 1`, [ODOO_READABLE_TABLES])).rows;
    expect(owners.map((o: { owner: string }) => o.owner)).to.deep.equal(ODOO_READABLE_TABLES.map(() => 'postgres'));
    for (const table of ODOO_READABLE_TABLES) {
      expect(await asOdoo(`select count(*)::int as n from ${table}`), table).to.be.an('array');
    }
    const [moves] = (await asOdoo('select count(*)::int as n from loyalty_point_move where kind = \'opening\'')) as Array<{ n: number }>;
    expect(moves.n).to.be.greaterThan(0);
  });

  it('the tables of the addon\'s own models (vendor_commission) are Odoo\'s: it writes them as any model\'s', async () => {
    const owners = (await db.raw(`select tablename, tableowner from pg_tables where tablename = any(?) order by 1`, [ODOO_MODEL_TABLES])).rows;
    expect(owners.map((o: { tableowner: string }) => o.tableowner)).to.deep.equal(ODOO_MODEL_TABLES.map(() => ODOO_ROLE));
    expect(await asOdoo(`insert into vendor_commission (vendor_id, commission_type, value, company_id) values (1, 'fixed', 1, 1) returning id`)).to.have.length(1);
    expect(await asOdoo('delete from vendor_commission returning id')).to.have.length(1);
    // The sidecar's role still writes it (a superuser here; otherwise a member of Odoo's role).
    expect((await db.raw(`insert into vendor_commission (vendor_id, commission_type, value, company_id) values (1, 'fixed', 1, 1) returning id`)).rows).to.have.length(1);
  });

  it('and nothing more: no write, no other sidecar table', async () => {
    expect(await asOdoo(`insert into sidecar_job_run (job, trigger, state, started_at) values ('x', 'cli', 'done', now())`)).to.match(/permission denied/);
    expect(await asOdoo('select * from sidecar_session')).to.match(/permission denied/);
    expect(await asOdoo('select * from sidecar_idempotency_key')).to.match(/permission denied/);
  });

  it('a grant taken away comes back at the next migration run; ODOO_DB_ROLE names the role when configured', async () => {
    await db.raw(`revoke select on loyalty_point_move from ${ODOO_ROLE}`);
    expect(await asOdoo('select 1 from loyalty_point_move limit 1')).to.match(/permission denied/);
    await migrate(db);
    expect(await asOdoo('select 1 from loyalty_point_move limit 1')).to.be.an('array');
    await db.raw('drop role if exists sidecar_test_reader');
    await db.raw('create role sidecar_test_reader');
    try {
      await migrate(db, 'sidecar_test_reader');
      expect((await db.raw(`select has_table_privilege('sidecar_test_reader', 'sidecar_job_run', 'SELECT') as ok`)).rows[0].ok).to.equal(true);
    } finally {
      // The configured role was handed the addon's model tables: back to Odoo's before it goes.
      for (const table of ODOO_MODEL_TABLES) await db.raw(`alter table ${table} owner to ${ODOO_ROLE}`);
      await db.raw('drop owned by sidecar_test_reader');
      await db.raw('drop role sidecar_test_reader');
    }
  });
});

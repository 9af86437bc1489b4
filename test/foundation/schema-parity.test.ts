/**
 * Schema parity: a database migrated in standalone mode against a fresh restore of the Odoo 17
 * dump. Every complete table must match exactly (columns with type, NOT NULL, default and
 * position; constraints; indexes; comments; sequences); every stub must carry real columns
 * and the real primary key; the ir_model* rows must be the dump's own.
 */
import { expect } from 'chai';
import { Knex } from 'knex';
import { openDatabase, Database } from '../../src/db/connection';
import { migrate } from '../../src/db/migrate';
import { detectMode } from '../../src/db/mode';
import { createStandaloneSchema } from '../../src/db/standalone';
import { freshDatabase, serverReachable, TestDatabase } from '../helpers/pg';
import tables from '../../src/db/standalone/tables.json';

const complete: string[] = tables.complete;
const stubs: Record<string, string[]> = tables.stubs;

/** One line per schema fact of the given tables, comparable across databases. */
async function describeTables(db: Knex, names: string[]): Promise<string[]> {
  const facts: string[] = [];
  const rows = async (sql: string) => (await db.raw(sql, [names])).rows as Array<Record<string, unknown>>;
  for (const r of await rows(`
      select c.relname as t, a.attname as c, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null,
             pg_get_expr(d.adbin, d.adrelid) as def, row_number() over (partition by c.oid order by a.attnum) as pos,
             col_description(c.oid, a.attnum) as comment
        from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
        left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
       where n.nspname = 'public' and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped and c.relname = any(?)`)) {
    facts.push(`column ${r.t}.${r.c} #${r.pos} ${r.type}${r.not_null ? ' NOT NULL' : ''} default=${r.def} comment=${r.comment}`);
  }
  for (const r of await rows(`
      select c.relname as t, k.conname as name, k.contype as type, pg_get_constraintdef(k.oid) as def
        from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relname = any(?)`)) {
    facts.push(`constraint ${r.t}.${r.name} ${r.type} ${r.def}`);
  }
  for (const r of await rows(`select tablename as t, indexname as name, indexdef as def from pg_indexes where schemaname = 'public' and tablename = any(?)`)) {
    facts.push(`index ${r.t}.${r.name} ${r.def}`);
  }
  for (const r of await rows(`select relname as t, obj_description(c.oid, 'pg_class') as comment from pg_class c where relkind = 'r' and relname = any(?)`)) {
    facts.push(`table ${r.t} comment=${r.comment}`);
  }
  return facts.sort();
}

async function sequences(db: Knex, names: string[]): Promise<string[]> {
  const out: string[] = [];
  const withId = (await db.raw(`select table_name as t from information_schema.columns where table_schema = 'public' and column_name = 'id' and table_name = any(?)`, [names])).rows.map((r: { t: string }) => r.t);
  for (const t of withId) {
    const seq = (await db.raw(`select pg_get_serial_sequence(?, 'id') as s`, ['public.' + t])).rows[0].s as string | null;
    if (!seq) continue;
    const r = (await db.raw(`select data_type, start_value, increment_by, min_value, max_value, cache_size, cycle from pg_sequences where schemaname || '.' || sequencename = ?`, [seq])).rows[0];
    out.push(`${t}: ${seq} ${JSON.stringify(r)}`);
  }
  return out.sort();
}

function difference(a: string[], b: string[]): { onlyStandalone: string[]; onlyOdoo: string[] } {
  const sa = new Set(a);
  const sb = new Set(b);
  return { onlyStandalone: a.filter((x) => !sb.has(x)), onlyOdoo: b.filter((x) => !sa.has(x)) };
}

describe('foundation: standalone schema parity with Odoo 17', function () {
  let baseDb: TestDatabase;
  let migratedDb: TestDatabase;
  let odooDb: TestDatabase;
  /** An empty database given the standalone schema alone (migration 0001), as Odoo's dump has no sidecar migrations. */
  let standalone: Database;
  /** An empty database migrated with every sidecar migration (standalone mode). */
  let migrated: Database;
  /** A fresh restore of the Odoo 17 dump (attached mode), not migrated until the last test. */
  let odoo: Database;

  before(async function () {
    if (!(await serverReachable())) this.skip();
    [baseDb, migratedDb, odooDb] = await Promise.all([freshDatabase('empty'), freshDatabase('empty'), freshDatabase('odoo17')]);
    standalone = await openDatabase({ databaseUrl: baseDb.url, dataDir: '' }, 2);
    migrated = await openDatabase({ databaseUrl: migratedDb.url, dataDir: '' }, 2);
    odoo = await openDatabase({ databaseUrl: odooDb.url, dataDir: '' }, 2);
    await standalone.knex.transaction((trx) => createStandaloneSchema(trx));
    await migrate(migrated.knex);
  });
  after(async () => {
    for (const d of [standalone, migrated, odoo]) await d?.close();
    for (const d of [baseDb, migratedDb, odooDb]) await d?.drop();
  });

  it('migrates an empty database into standalone mode, and again is a no-op', async () => {
    expect(await detectMode(migrated.knex)).to.equal('standalone');
    expect(await migrate(migrated.knex)).to.deep.equal([]);
  });

  it('creates exactly the complete tables and the stubs, nothing else', async () => {
    const created = (await standalone.knex.raw(`select tablename from pg_tables where schemaname = 'public'`)).rows.map((r: { tablename: string }) => r.tablename);
    expect(created.sort()).to.deep.equal([...complete, ...Object.keys(stubs)].sort());
  });

  it('has every table of schema-core.sql', async () => {
    // The list of schema-core.sql, as recorded beside the dump.
    const core = ['account_tax', 'ir_model', 'ir_model_fields', 'ir_model_fields_selection', 'ir_model_access', 'loyalty_card', 'loyalty_program', 'loyalty_reward', 'loyalty_rule', 'membership_membership_line', 'pos_config', 'pos_order', 'pos_order_line', 'pos_payment', 'pos_payment_method', 'pos_session', 'product_category', 'product_product', 'product_tag', 'product_template', 'res_company', 'res_currency', 'res_groups', 'res_groups_users_rel', 'res_partner', 'res_users'];
    expect(complete).to.include.members(core);
  });

  it('matches the dump column by column, constraint by constraint, index by index: zero differences', async () => {
    const [mine, theirs] = await Promise.all([describeTables(standalone.knex, complete), describeTables(odoo.knex, complete)]);
    expect(mine.length).to.be.greaterThan(1000);
    expect(difference(mine, theirs)).to.deep.equal({ onlyStandalone: [], onlyOdoo: [] });
  });

  it('gives the complete tables the same sequences', async () => {
    const [mine, theirs] = await Promise.all([sequences(standalone.knex, complete), sequences(odoo.knex, complete)]);
    expect(mine).to.deep.equal(theirs);
  });

  it('gives stubs real columns and the real primary key, and nothing of their own', async () => {
    const names = Object.keys(stubs);
    const [mine, theirs] = await Promise.all([describeTables(standalone.knex, names), describeTables(odoo.knex, names)]);
    const theirSet = new Set(theirs);
    const notInOdoo = mine.filter((f) => !theirSet.has(f) && !/^column .* #\d+ /.test(f));
    expect(notInOdoo).to.deep.equal([]);
    // Columns: same type, nullability and default as Odoo's (positions differ: stubs keep a few).
    const strip = (f: string) => f.replace(/ #\d+ /, ' ');
    const theirColumns = new Set(theirs.filter((f) => f.startsWith('column ')).map(strip));
    expect(mine.filter((f) => f.startsWith('column ')).map(strip).filter((f) => !theirColumns.has(f))).to.deep.equal([]);
    for (const t of names) expect(mine.some((f) => f.startsWith(`constraint ${t}.${t}_pkey p PRIMARY KEY (id)`)), t).to.equal(true);
  });

  it('describes its models with the dump\'s own ir_model, ir_model_fields, selection and access rows', async () => {
    for (const table of ['ir_model', 'ir_model_fields', 'ir_model_fields_selection', 'ir_model_access', 'ir_rule', 'res_groups']) {
      const mine = (await standalone.knex.raw(`select to_jsonb(t) as r from ${table} t order by id`)).rows.map((x: { r: { id: number } }) => x.r);
      const ids = mine.map((r: { id: number }) => r.id);
      const theirs = (await odoo.knex.raw(`select to_jsonb(t) as r from ${table} t where id = any(?) order by id`, [ids])).rows.map((x: { r: unknown }) => x.r);
      expect(mine.length, table).to.be.greaterThan(0);
      expect(mine, table).to.deep.equal(theirs);
    }
    // The served models leave out only relations to models the standalone database does not carry.
    const served = ['loyalty.program', 'loyalty.rule', 'loyalty.reward', 'loyalty.card', 'pos.order', 'pos.order.line', 'membership.membership_line', 'res.partner', 'product.product', 'product.template', 'res.users'];
    const models = new Set((await standalone.knex('ir_model').pluck('model')) as string[]);
    const mine = new Set((await standalone.knex('ir_model_fields').pluck('id')) as number[]);
    const missing = (await odoo.knex('ir_model_fields').whereIn('model', served).select('model', 'name', 'ttype', 'relation', 'id')).filter((f) => !mine.has(f.id));
    for (const f of missing) {
      expect(['many2one', 'one2many', 'many2many'], `${f.model}.${f.name}`).to.include(f.ttype);
      expect(models.has(f.relation), `${f.model}.${f.name} → ${f.relation}`).to.equal(false);
      // On the loyalty and membership models, only the chatter (mail.*) may be missing.
      if (/^(loyalty|membership)\./.test(f.model)) expect(f.relation, `${f.model}.${f.name}`).to.match(/^mail\./);
    }
  });

  it('stays identical to the dump once both carry the sidecar\'s migrations (standalone and attached alike)', async () => {
    await migrate(odoo.knex);
    const stubNames = new Set(Object.keys(stubs));
    const tablesOf = async (k: Knex) => ((await k.raw(`select tablename from pg_tables where schemaname = 'public'`)).rows as Array<{ tablename: string }>).map((r) => r.tablename);
    const mine = (await tablesOf(migrated.knex)).filter((t) => !stubNames.has(t));
    const [a, b] = await Promise.all([describeTables(migrated.knex, mine), describeTables(odoo.knex, mine)]);
    expect(difference(a, b)).to.deep.equal({ onlyStandalone: [], onlyOdoo: [] });
  });
});

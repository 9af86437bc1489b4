import { Knex } from 'knex';
import { Database } from './connection';

/**
 * The three ways the sidecar meets its database, named the same in the logs, /healthz and the
 * README:
 * embedded:   no DATABASE_URL: PGlite in DATA_DIR, the sidecar creates the Odoo-17-shaped subset
 *             and loads the demo data on the first start;
 * standalone: DATABASE_URL at any database that is not Odoo's: the sidecar creates the subset;
 * attached:   DATABASE_URL at an Odoo 17 database with the loyalty module installed (Odoo owns
 *             the schema).
 */
export type DbMode = 'embedded' | 'standalone' | 'attached';

/** Who owns the Odoo tables of a database: Odoo (attached) or the sidecar (standalone, embedded). */
export async function detectMode(db: Knex): Promise<'attached' | 'standalone'> {
  const hasModules = await db.schema.hasTable('ir_module_module');
  if (!hasModules) return 'standalone';
  const row = await db('ir_module_module').where({ name: 'loyalty', state: 'installed' }).first('id');
  return row ? 'attached' : 'standalone';
}

/** The mode of an open database. */
export async function databaseMode(database: Database): Promise<DbMode> {
  return database.engine === 'pglite' ? 'embedded' : detectMode(database.knex);
}

import { Knex } from 'knex';

/**
 * attached:   an Odoo 17 database with the loyalty module installed (Odoo owns the schema).
 * standalone: any other database; the sidecar creates the Odoo-17-shaped subset it needs.
 */
export type DbMode = 'attached' | 'standalone';

export async function detectMode(db: Knex): Promise<DbMode> {
  const hasModules = await db.schema.hasTable('ir_module_module');
  if (!hasModules) return 'standalone';
  const row = await db('ir_module_module').where({ name: 'loyalty', state: 'installed' }).first('id');
  return row ? 'attached' : 'standalone';
}

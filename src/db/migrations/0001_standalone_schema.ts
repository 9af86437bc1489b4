import { Knex } from 'knex';
import { detectMode } from '../mode';
import { createStandaloneSchema } from '../standalone';

/**
 * Standalone mode: an empty database gets the Odoo-17-shaped tables the sidecar uses.
 * Attached mode: Odoo owns these tables; nothing is done.
 */
export async function up(db: Knex): Promise<void> {
  if ((await detectMode(db)) === 'attached') return;
  if (await db.schema.hasTable('ir_model')) return;
  // Knex runs each migration in a transaction and hands it over as `db`.
  await createStandaloneSchema(db as Knex.Transaction);
}

export async function down(): Promise<void> {
  // Never drop Odoo-shaped tables automatically: they may hold a retailer's data.
}

import { Knex } from 'knex';
import { migrationConfig } from './migrations';
import { grantOdooRole } from './odoo-role';

/**
 * Brings the database up to date with the sidecar's migrations, then gives Odoo's role what it
 * needs on the sidecar's tables (odoo-role.ts). Safe to run on every start.
 */
export async function migrate(db: Knex, odooDbRole: string | null = null): Promise<string[]> {
  const [, applied] = await db.migrate.latest(migrationConfig);
  await grantOdooRole(db, odooDbRole);
  return applied as string[];
}

import { Knex } from 'knex';
import { log } from '../log';
import { migrationConfig } from './migrations';
import { grantOdooRole } from './odoo-role';

/** How long a start waits for another replica's migration run (knex's lock table) before it gives up. */
const LOCK_WAIT_MS = 5 * 60_000;

/**
 * Brings the database up to date with the sidecar's migrations, then gives Odoo's role what it
 * needs on the sidecar's tables (odoo-role.ts). Safe to run on every start, by several replicas
 * at once: knex lets one run them and refuses the others while its lock is held; those wait
 * for it, then find nothing left to apply.
 */
export async function migrate(db: Knex, odooDbRole: string | null = null): Promise<string[]> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let waited = false; ; waited = true) {
    try {
      const [, applied] = await db.migrate.latest(migrationConfig);
      await grantOdooRole(db, odooDbRole);
      return applied as string[];
    } catch (err) {
      if ((err as Error).name !== 'MigrationLocked' || Date.now() > deadline) throw err;
      if (!waited) log.info('migrations: another process is applying them, waiting');
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** The migrations of this version not applied to the database yet (/readyz: none). */
export async function pendingMigrations(db: Knex): Promise<string[]> {
  const [, pending] = await db.migrate.list(migrationConfig);
  return (pending as Array<{ file: string } | [string, unknown]>).map((m) => (Array.isArray(m) ? m[0] : m.file));
}

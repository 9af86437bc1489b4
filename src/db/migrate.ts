import { Knex } from 'knex';
import { log } from '../log';
import { migrationConfig } from './migrations';
import { grantOdooRole } from './odoo-role';

/** How long a start waits for another replica's migration run (knex's lock table) before it gives up. */
const LOCK_WAIT_MS = 5 * 60_000;

/** pg_advisory_lock key of a migration run: hashtext('loyalty-sidecar:migrate'), fixed here. */
const MIGRATE_LOCK_KEY = 'loyalty-sidecar:migrate';

/**
 * Brings the database up to date with the sidecar's migrations, then gives Odoo's role what it
 * needs on the sidecar's tables (odoo-role.ts). Safe to run on every start, by several replicas
 * at once. On a server the runs queue on a session advisory lock: knex's own lock lives in a
 * table knex creates on the first run, and two replicas starting together on a fresh database
 * both find it missing and both create it (one fails on pg_type's unique index). The embedded
 * database has one process (embedded-lock.ts) and one connection: nothing to queue.
 */
export async function migrate(db: Knex, odooDbRole: string | null = null): Promise<string[]> {
  if (db.client.config.client !== 'pg') return migrateUnlocked(db, odooDbRole);
  // A connection of its own, outside the pool: the migrations need the pool's (a pool of one
  // would otherwise wait for itself). Closing it releases the lock whatever happened.
  const connection = await db.client.acquireRawConnection();
  try {
    await db.raw('SELECT pg_advisory_lock(hashtext(?))', [MIGRATE_LOCK_KEY]).connection(connection);
    return await migrateUnlocked(db, odooDbRole);
  } finally {
    await db.client.destroyRawConnection(connection);
  }
}

/** knex's run; its MigrationLocked (a run of an older version without the advisory lock) is waited out. */
async function migrateUnlocked(db: Knex, odooDbRole: string | null): Promise<string[]> {
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

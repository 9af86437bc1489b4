import { Knex } from 'knex';
import { migrationConfig } from './migrations';

/** Brings the database up to date with the sidecar's migrations. Safe to run on every start. */
export async function migrate(db: Knex): Promise<string[]> {
  const [, applied] = await db.migrate.latest(migrationConfig);
  return applied as string[];
}

/** `npm run migrate`: applies the sidecar's migrations to DATABASE_URL (or the embedded db). */
import { loadConfig } from '../config';
import { openDatabase } from '../db/connection';
import { migrate } from '../db/migrate';
import { databaseMode } from '../db/mode';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config);
  try {
    const applied = await migrate(db.knex, config.odooDbRole);
    process.stdout.write(`mode: ${await databaseMode(db)}; applied: ${applied.join(', ') || 'nothing (up to date)'}
`);
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  process.stderr.write(`migrate failed: ${(err as Error).message}\n`);
  process.exit(1);
});

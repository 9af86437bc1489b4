/** `npm run migrate`: applies the sidecar's migrations to DATABASE_URL (or the embedded db). */
import { loadConfig } from '../config';
import { openDatabase } from '../db/connection';
import { migrate } from '../db/migrate';
import { databaseMode } from '../db/mode';

async function main(): Promise<void> {
  const db = await openDatabase(loadConfig());
  try {
    const applied = await migrate(db.knex);
    process.stdout.write(`mode: ${await databaseMode(db)}; applied: ${applied.join(', ') || 'nothing (up to date)'}\n`);
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  process.stderr.write(`migrate failed: ${(err as Error).message}\n`);
  process.exit(1);
});

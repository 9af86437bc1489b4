/** `npm run seed`: loads the demo data set into DATABASE_URL (standalone) or the embedded db, once. */
import { loadConfig } from '../config';
import { openDatabase } from '../db/connection';
import { migrate } from '../db/migrate';
import { loadDemoSeeds } from '../db/seed';

async function main(): Promise<void> {
  const db = await openDatabase(loadConfig());
  try {
    await migrate(db.knex);
    const started = Date.now();
    const outcome = await loadDemoSeeds(db.knex);
    process.stdout.write(outcome === 'loaded' ? `demo seeds loaded in ${Date.now() - started} ms\n` : 'demo seeds already loaded: nothing to do\n');
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  process.stderr.write(`seed failed: ${(err as Error).message}\n`);
  process.exit(1);
});

import { Knex } from 'knex';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { detectMode } from './mode';
import { runSqlScript } from './script';
import { migrations } from './migrations';

/** The demo data set, generated from the recorded dump by scripts/gen-standalone.ts. */
export const DEMO_SEEDS = path.resolve(__dirname, '../../seeds/demo.sql');

/**
 * Which seed files a database has received. A table of the sidecar's own (prefixed, like the
 * migration tables): seeds load once, even if someone later deletes the demo rows.
 */
const LOG = 'sidecar_seed_log';

export type SeedOutcome = 'loaded' | 'already-loaded';

/**
 * Loads the demo data set into a standalone database, once. Refuses an attached database: the
 * demo rows would collide with (and pollute) a retailer's Odoo data.
 */
export async function loadDemoSeeds(db: Knex): Promise<SeedOutcome> {
  if ((await detectMode(db)) === 'attached') {
    throw new Error('refusing to load demo seeds into an Odoo database (attached mode): seeds are for standalone databases');
  }
  return db.transaction(async (trx) => {
    await trx.raw(`create table if not exists ${LOG} (name varchar primary key, applied_at timestamp not null default (now() at time zone 'utc'))`);
    // Two processes starting at once: the second waits here, then sees the first one's row.
    await trx.raw(`lock table ${LOG} in exclusive mode`);
    if (await trx(LOG).where({ name: 'demo' }).first()) return 'already-loaded' as const;
    await runSqlScript(trx, readFileSync(DEMO_SEEDS, 'utf8'));
    // The demo rows arrive the way a retailer's Odoo data does when the sidecar attaches to it:
    // the migrations that adopt existing data run again over them (each is idempotent, as
    // migrations/index.ts requires), so the ledger writes the cards' opening moves and counts
    // the demo's paid orders as already processed, as on an attached database.
    for (const [name, migration] of migrations) {
      if (name !== '0001_standalone_schema') await migration.up(trx);
    }
    await trx(LOG).insert({ name: 'demo' });
    return 'loaded' as const;
  });
}

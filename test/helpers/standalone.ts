/**
 * A standalone (Odoo-shaped, sidecar-created) database for a test: on the real PostgreSQL when
 * one answers, else on an in-memory PGlite, which serverReachable() announces once. Tests of
 * standalone behaviour use this; tests that need the recorded Odoo dump use freshDatabase().
 */
import { openDatabase, openPglite, Database } from '../../src/db/connection';
import { migrate } from '../../src/db/migrate';
import { loadDemoSeeds } from '../../src/db/seed';
import { freshDatabase, serverReachable } from './pg';

export interface StandaloneTestDatabase {
  db: Database;
  /** Closes the connection and drops the database (PGlite: just closes it). */
  drop(): Promise<void>;
}

export interface StandaloneOptions {
  /** Load the demo data set (default true). */
  seeds?: boolean;
  /** 'auto' (default): real PostgreSQL when reachable, else PGlite. 'pglite': always PGlite. */
  engine?: 'auto' | 'pglite';
}

/** The engine a standalone test database gets: PGlite only when asked or when no server answers. */
export async function standaloneEngine(engine: StandaloneOptions['engine'], reachable: () => Promise<boolean> = serverReachable): Promise<'postgres' | 'pglite'> {
  return engine !== 'pglite' && (await reachable()) ? 'postgres' : 'pglite';
}

export async function standaloneTestDatabase(options: StandaloneOptions = {}): Promise<StandaloneTestDatabase> {
  const usePg = (await standaloneEngine(options.engine)) === 'postgres';
  let db: Database;
  let dropServerDb = async () => undefined as void;
  if (usePg) {
    const fresh = await freshDatabase('empty');
    db = await openDatabase({ databaseUrl: fresh.url, dataDir: '' }, 4);
    dropServerDb = fresh.drop;
  } else {
    db = await openPglite(null);
  }
  await migrate(db.knex);
  if (options.seeds ?? true) await loadDemoSeeds(db.knex);
  return {
    db,
    drop: async () => {
      await db.close();
      await dropServerDb();
    },
  };
}

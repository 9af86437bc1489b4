/** Starts a real sidecar over HTTP on a fresh database, for tests. */
import { loadConfig, Config } from '../../src/config';
import { startSidecar, RunningSidecar } from '../../src/server';
import { Knex } from 'knex';
import { freshDatabase, Template, TestDatabase } from './pg';
import { standaloneTestDatabase } from './standalone';

export interface TestSidecar extends RunningSidecar {
  database: TestDatabase;
}

export async function startTestSidecar(template: Template, overrides: Partial<Config> = {}): Promise<TestSidecar> {
  const database = await freshDatabase(template);
  const config: Config = {
    ...loadConfig({}),
    databaseUrl: database.url,
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    jobsEnabled: false,
    ...overrides,
  };
  const running = await startSidecar(config);
  return {
    ...running,
    database,
    close: async () => {
      await running.close();
      await database.drop();
    },
  };
}

/** A real sidecar on a standalone database with the demo seeds (the dump's rows and ids). */
export async function startStandaloneTestSidecar(): Promise<RunningSidecar> {
  const sa = await standaloneTestDatabase({ engine: 'auto' });
  const running = await startSidecar({ ...loadConfig({}), port: 0, host: '127.0.0.1', logLevel: 'silent', jobsEnabled: false }, sa.db);
  return {
    ...running,
    close: async () => {
      await running.close();
      await sa.drop();
    },
  };
}

/** What a suite that runs in several database modes needs of a running sidecar. */
export interface WireTarget {
  url: string;
  db: string;
  knex: Knex;
}

export const wireTarget = (sidecar: RunningSidecar): WireTarget => ({ url: sidecar.url, db: sidecar.ctx.dbName, knex: sidecar.ctx.db.knex });

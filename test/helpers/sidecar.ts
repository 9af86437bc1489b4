/** Starts a real sidecar over HTTP on a fresh database, for tests. */
import { loadConfig, Config } from '../../src/config';
import { startSidecar, RunningSidecar } from '../../src/server';
import { freshDatabase, Template, TestDatabase } from './pg';

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

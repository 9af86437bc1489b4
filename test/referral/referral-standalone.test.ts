/** The referral flow on a standalone database with the demo seeds (the same rows and ids as the dump). */
import { loadConfig } from '../../src/config';
import { RunningSidecar, startSidecar } from '../../src/server';
import { standaloneTestDatabase, StandaloneTestDatabase } from '../helpers/standalone';
import { itRunsTheReferralFlow } from './flow';

describe('referral: first orders reward the referrer (standalone, seeded)', () => {
  let sa: StandaloneTestDatabase;
  let sidecar: RunningSidecar;
  before(async () => {
    sa = await standaloneTestDatabase({ engine: 'auto' });
    sidecar = await startSidecar({ ...loadConfig({}), port: 0, host: '127.0.0.1', logLevel: 'silent', jobsEnabled: false }, sa.db);
  });
  after(async () => {
    await sidecar?.close();
    await sa?.drop();
  });
  itRunsTheReferralFlow(() => ({ url: sidecar.url, db: sidecar.ctx.dbName, knex: sidecar.ctx.db.knex }));
});

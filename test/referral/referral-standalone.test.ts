/** The referral flow on a standalone database with the demo seeds (the same rows and ids as the dump). */
import { RunningSidecar } from '../../src/server';
import { startStandaloneTestSidecar, wireTarget } from '../helpers/sidecar';
import { itRunsTheReferralFlow } from './flow';

describe('referral: first orders reward the referrer (standalone, seeded)', () => {
  let sidecar: RunningSidecar;
  before(async () => {
    sidecar = await startStandaloneTestSidecar();
  });
  after(async () => sidecar?.close());
  itRunsTheReferralFlow(() => wireTarget(sidecar));
});

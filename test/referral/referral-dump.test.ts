/** The referral flow on a fresh copy of the recorded Odoo 17 database (attached mode). */
import { startTestSidecar, TestSidecar, wireTarget } from '../helpers/sidecar';
import { itRunsTheReferralFlow } from './flow';

describe('referral: first orders reward the referrer (Odoo 17 dump)', () => {
  let sidecar: TestSidecar;
  before(async () => {
    sidecar = await startTestSidecar('odoo17');
  });
  after(async () => sidecar?.close());
  itRunsTheReferralFlow(() => wireTarget(sidecar));
});

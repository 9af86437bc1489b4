/** Vendor commission rules and report on a fresh copy of the recorded Odoo 17 database (attached mode). */
import { startTestSidecar, TestSidecar, wireTarget } from '../helpers/sidecar';
import { itRunsVendorCommission } from './commission';

describe('vendor commission: rules through execute_kw and the commission report (Odoo 17 dump)', () => {
  let sidecar: TestSidecar;
  before(async () => {
    sidecar = await startTestSidecar('odoo17');
  });
  after(async () => sidecar?.close());
  itRunsVendorCommission(() => wireTarget(sidecar));
});

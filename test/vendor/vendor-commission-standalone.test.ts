/** Vendor commission rules and report on a standalone database with the demo seeds. */
import { RunningSidecar } from '../../src/server';
import { startStandaloneTestSidecar, wireTarget } from '../helpers/sidecar';
import { itRunsVendorCommission } from './commission';

describe('vendor commission: rules through execute_kw and the commission report (standalone, seeded)', () => {
  let sidecar: RunningSidecar;
  before(async () => {
    sidecar = await startStandaloneTestSidecar();
  });
  after(async () => sidecar?.close());
  itRunsVendorCommission(() => wireTarget(sidecar));
});

import { expect } from 'chai';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { loadCorpus, replayDirect } from './corpus';

/**
 * The recorded search / read / fields_get exchanges, replayed through executeKw directly
 * (no transport): the ORM's answers must equal Odoo 17's, types included.
 */
for (const file of ['search.jsonl', 'read.jsonl', 'fields_get.jsonl']) {
  describe(`orm: ${file} replayed through executeKw`, () => {
    let sidecar: TestSidecar;
    before(async () => {
      sidecar = await startTestSidecar('odoo17');
    });
    after(async () => sidecar?.close());
    for (const x of loadCorpus(file).filter((e) => e.protocol === 'xmlrpc' && e.path === '/xmlrpc/2/object')) {
      it(`${x.id}: ${x.note}`, async () => {
        const { ok, got } = await replayDirect(sidecar, x);
        if (!ok) expect(JSON.stringify(got)).to.equal(JSON.stringify(x.expect));
      });
    }
  });
}

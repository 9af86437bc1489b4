/**
 * Mocha glue for the corpus replayer: one `describe` per corpus file, on a sidecar attached
 * to a fresh copy of the dump, and one `it` per exchange, run in file order.
 */
import { AssertionError } from 'node:assert';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { Template } from '../helpers/pg';
import { explain, loadCorpus, Replayer } from './replay';

export function replaySuite(file: string, template: Template = 'odoo17'): void {
  describe(`conformance: ${file}`, function () {
    let sidecar: TestSidecar | undefined;
    let replayer: Replayer;
    const tally = { passed: 0, failed: 0 };
    before(async () => {
      sidecar = await startTestSidecar(template);
      replayer = new Replayer(sidecar.url, { db: sidecar.ctx.dbName });
      await replayer.init();
    });
    after(async () => {
      process.stderr.write(`      ${file}: ${tally.passed} passed, ${tally.failed} failed\n`);
      await sidecar?.close();
    });
    for (const exchange of loadCorpus(file)) {
      it(`${exchange.id}: ${exchange.note ?? ''}`, async () => {
        const result = await replayer.run(exchange);
        tally[result.ok ? 'passed' : 'failed']++;
        if (!result.ok) throw new AssertionError({ message: explain(result) });
      });
    }
  });
}

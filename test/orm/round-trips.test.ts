import { expect } from 'chai';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { executeKw } from '../../src/orm/call';

/**
 * The read calls clients make most are one statement each once the call's security facts are
 * warm (they are shared for a second, orm/shared_cache.ts): the search, the record rules, the
 * columns and the many2one names of a search_read in one SELECT, a read_group in one grouped
 * SELECT. A change that adds a round trip to these shows here, not only in bench/orm.
 */
describe('orm: statements per read call', () => {
  let sidecar: TestSidecar;
  before(async () => {
    sidecar = await startTestSidecar('odoo17');
  });
  after(async () => sidecar?.close());

  async function statementsOf(run: () => Promise<unknown>): Promise<string[]> {
    const seen: string[] = [];
    const observe = (q: { sql: string }) => seen.push(q.sql);
    sidecar.ctx.db.knex.on('query', observe);
    try {
      await run();
    } finally {
      sidecar.ctx.db.knex.off('query', observe);
    }
    return seen;
  }

  const ADMIN = 2;
  const calls: Array<[string, string, string, unknown[], Record<string, unknown>]> = [
    ['search_read of cards by partner, with the program name', 'loyalty.card', 'search_read', [[['partner_id', '=', 64]]], { fields: ['code', 'program_id', 'points'] }],
    ['read_group of orders by month', 'pos.order', 'read_group', [[['partner_id', '!=', false]], ['amount_total:sum'], ['date_order:month']], {}],
    ['search_count of programs', 'loyalty.program', 'search_count', [[['program_type', '=', 'loyalty']]], {}],
  ];
  for (const [label, model, method, args, kwargs] of calls) {
    it(`${label}: one statement once warm, the same answer every time`, async () => {
      const first = await executeKw(sidecar.ctx, ADMIN, model, method, args, kwargs); // loads registry, user, rules
      let again: unknown;
      const statements = await statementsOf(async () => {
        again = await executeKw(sidecar.ctx, ADMIN, model, method, args, kwargs);
      });
      expect(statements, statements.join('\n')).to.have.length(1);
      expect(again).to.deep.equal(first);
    });
  }
});

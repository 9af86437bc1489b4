import { expect } from 'chai';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { cheapPassword } from '../helpers/ledger';

/** Domains of any length, ids out of int4, and method names from JavaScript's Object prototype, over real JSON-RPC. */
describe('security: domains of any length, bad ids and prototype method names', () => {
  let sidecar: TestSidecar;
  const call = async (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) => {
    const res = await fetch(sidecar.url + '/jsonrpc', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { service: 'object', method: 'execute_kw', args: [sidecar.ctx.dbName, 2, 'domains-test', model, method, args, kwargs] } }),
    });
    expect(res.status).to.equal(200);
    return (await res.json()) as { result?: unknown; error?: { data: { name: string; message: string } } };
  };

  before(async () => {
    sidecar = await startTestSidecar('odoo17');
    await cheapPassword(sidecar.ctx.db.knex, 'admin', 'domains-test');
  });
  after(async () => sidecar?.close());

  it('a flat domain of 100,000 terms and a chain of 100,000 ORs compile and run, without a stack overflow', async function () {
    this.timeout(120_000);
    const total = Number((await sidecar.ctx.db.knex('res_partner').where({ active: true }).count({ n: '*' }))[0].n);
    const flat = Array.from({ length: 100_000 }, (_, i) => ['id', '!=', 1_000_000 + i]);
    const all = await call('res.partner', 'search_count', [flat]);
    expect(all.error).to.equal(undefined);
    expect(all.result).to.equal(total);
    const ors = [...Array.from({ length: 99_999 }, () => '|'), ...Array.from({ length: 100_000 }, (_, i) => ['id', '=', i + 3])];
    const some = await call('res.partner', 'search', [ors], { limit: 5, order: 'id' });
    expect(some.error).to.equal(undefined);
    const same = await call('res.partner', 'search', [[['id', 'in', Array.from({ length: 100_000 }, (_, i) => i + 3)]]], { limit: 5, order: 'id' });
    expect(some.result).to.have.length(5);
    expect(some.result).to.deep.equal(same.result);
    // Deeply nested NOTs: an answer, not a crash (PostgreSQL may refuse the depth; cleanly).
    const nots = [...Array.from({ length: 50_000 }, () => '!'), ['id', '=', 3]];
    const deep = await call('res.partner', 'search_count', [nots]);
    expect(deep.result ?? deep.error).to.not.equal(undefined);
    expect(JSON.stringify(deep)).to.not.match(/SELECT|WHERE|\/src\//);
  });

  it('ids beyond int4 are records that do not exist, never a database error', async () => {
    const big = 99_999_999_999;
    expect((await call('loyalty.card', 'search', [[['id', '=', big]]])).result).to.deep.equal([]);
    expect((await call('loyalty.card', 'search', [[['id', 'in', [17, big]]]])).result).to.deep.equal([17]);
    expect((await call('loyalty.card', 'search', [[['id', '<', big]]], { limit: 1 })).result).to.have.length(1);
    expect((await call('loyalty.card', 'search', [[['partner_id', '=', 1.5]]])).result).to.deep.equal([]);
    expect((await call('loyalty.card', 'read', [[big], ['points']])).result).to.deep.equal([]);
    const write = await call('loyalty.card', 'write', [[big], { points: 1 }]);
    expect(write.error!.data.name).to.equal('odoo.exceptions.MissingError');
    expect(write.error!.data.message).to.include(`loyalty.card(${big},)`);
  });

  it('method names from the Object prototype are unknown methods, as any other unknown name', async () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__proto__', '__defineGetter__']) {
      const r = await call('res.partner', name, [[]]);
      expect(r.error, `${name}: ${JSON.stringify(r)}`).to.not.equal(undefined);
      expect(r.error!.data.name, name).to.equal('builtins.AttributeError');
      expect(r.error!.data.message).to.equal(`The method 'res.partner.${name}' does not exist`);
    }
    // A keyword argument named like a prototype member is a keyword like any other.
    const kw = await call('res.partner', 'search_read', [[['id', '=', 3]]], JSON.parse('{"fields": ["name"], "__proto__": {"x": 1}}'));
    expect(kw.error!.data.message).to.include("unexpected keyword argument '__proto__'");
  });
});

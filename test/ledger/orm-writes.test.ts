import { expect } from 'chai';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { cheapPassword, expectLedgerBalanced } from '../helpers/ledger';

/** Points an RPC client writes on loyalty.card go into the ledger in the same call. */
describe('ledger: points written through execute_kw', () => {
  let sidecar: TestSidecar;
  const call = async (method: string, args: unknown[]) => {
    const res = await fetch(sidecar.url + '/jsonrpc', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { service: 'object', method: 'execute_kw', args: [sidecar.ctx.dbName, 2, 'orm-ledger', 'loyalty.card', method, args] } }),
    });
    const body = (await res.json()) as { result?: unknown; error?: { data: { message: string } } };
    if (body.error) throw new Error(body.error.data.message);
    return body.result;
  };
  const moves = (cardId: number) =>
    sidecar.ctx.db.knex('loyalty_point_move').where({ card_id: cardId }).orderBy('id').select('kind', 'points');

  before(async () => {
    sidecar = await startTestSidecar('odoo17');
    await cheapPassword(sidecar.ctx.db.knex, 'admin', 'orm-ledger');
  });
  after(async () => sidecar?.close());
  afterEach(async () => expectLedgerBalanced(sidecar.ctx.db.knex));

  it('a write of points becomes one adjust move of the difference', async () => {
    const before = (await sidecar.ctx.db.knex('loyalty_card').where({ id: 16 }).first('points')).points as number;
    await call('write', [[16], { points: before + 100 }]);
    const m = await moves(16);
    expect(m.at(-1)).to.deep.include({ kind: 'adjust', points: 100 });
    await call('write', [[16], { points: before + 100 }]);
    expect(await moves(16), 'writing the same value again moves nothing').to.have.length(m.length);
  });

  it('a card created with points starts its ledger with them', async () => {
    const id = (await call('create', [{ program_id: 6, points: 42.5 }])) as number;
    expect(await moves(id)).to.deep.equal([{ kind: 'adjust', points: 42.5 }]);
  });

  it('a write that fails leaves neither the points nor a move behind', async () => {
    const count = (await moves(16)).length;
    const points = (await sidecar.ctx.db.knex('loyalty_card').where({ id: 16 }).first('points')).points;
    let failed = false;
    try {
      await call('write', [[16], { points: 5, program_id: 999999 }]);
    } catch {
      failed = true;
    }
    expect(failed).to.equal(true);
    expect(await moves(16)).to.have.length(count);
    expect((await sidecar.ctx.db.knex('loyalty_card').where({ id: 16 }).first('points')).points).to.equal(points);
  });
});

/**
 * What a model method returns, as each transport marshals it (Python's rules): int-keyed
 * dicts, None, integral floats, big ints, control characters, dates.
 */
import { expect } from 'chai';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { defineMethod } from '../../src/orm/methods';
import { pyFloat, PyFloat } from '../../src/rpc/values';
import { jsonCall, xmlCall } from './helpers';

const shapes: Record<string, unknown> = {
  int_keys: new Map([[17, 'x']]),
  none: null,
  nested_none: { a: [1, null] },
  big_int: 2 ** 31,
  typed: { points: pyFloat(3646), n: 2, ratio: 0.5, s: 'a\u0001b\u001fc', when: new Date(Date.UTC(2026, 10, 22, 8, 30, 0)) },
};
defineMethod('res.partner', 'rpc_test_shape', async (_env, args) => shapes[String(args[0])]);

describe('rpc: marshalling of model results', () => {
  let sidecar: TestSidecar;
  const xml = (shape: string) => xmlCall(sidecar.url, '/xmlrpc/2/object', 'execute_kw', [sidecar.ctx.dbName, 2, 'admin', 'res.partner', 'rpc_test_shape', [shape]]);
  const json = (shape: string) =>
    jsonCall(sidecar.url, '/jsonrpc', { service: 'object', method: 'execute_kw', args: [sidecar.ctx.dbName, 2, 'admin', 'res.partner', 'rpc_test_shape', [shape]] });
  before(async () => {
    sidecar = await startTestSidecar('odoo17');
  });
  after(async () => sidecar?.close());

  it('an int-keyed dict cannot go over XML-RPC; JSON-RPC writes its keys as strings', async () => {
    expect(await xml('int_keys')).to.deep.equal({ fault: { code: 1, string: 'TypeError: dictionary key must be string' } });
    expect((await json('int_keys')).text).to.equal('{"jsonrpc": "2.0", "id": 1, "result": {"17": "x"}}');
  });

  it('None cannot go over XML-RPC (even nested); JSON-RPC omits the result key', async () => {
    expect(await xml('none')).to.deep.equal({ fault: { code: 1, string: 'TypeError: cannot marshal None unless allow_none is enabled' } });
    expect(await xml('nested_none')).to.deep.equal({ fault: { code: 1, string: 'TypeError: cannot marshal None unless allow_none is enabled' } });
    expect((await json('none')).json).to.deep.equal({ jsonrpc: '2.0', id: 1 });
    expect((await json('nested_none')).json).to.deep.equal({ jsonrpc: '2.0', id: 1, result: { a: [1, null] } });
  });

  it('ints beyond 32 bits are an OverflowError over XML-RPC, plain numbers over JSON-RPC', async () => {
    expect(await xml('big_int')).to.deep.equal({ fault: { code: 1, string: 'OverflowError: int exceeds XML-RPC limits' } });
    expect((await json('big_int')).json).to.have.property('result', 2147483648);
  });

  it('keeps Python types: integral floats stay floats, control characters go, dates become strings', async () => {
    const answer = (await xml('typed')) as { result: Record<string, unknown> };
    expect(answer.result.points).to.be.instanceOf(PyFloat);
    expect(Number(answer.result.points)).to.equal(3646);
    expect(answer.result).to.deep.include({ n: 2, s: 'abc', when: '2026-11-22 08:30:00' });
    expect((await json('typed')).text).to.contain('"points": 3646.0, "n": 2, "ratio": 0.5');
  });
});

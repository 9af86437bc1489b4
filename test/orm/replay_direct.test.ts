import { expect } from 'chai';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { executeKw } from '../../src/orm/call';
import { OdooError } from '../../src/errors';
import { loadCorpus, samePy, substitute, Exchange } from './corpus';

/**
 * The recorded search / read / fields_get exchanges, replayed through executeKw directly
 * (no transport): the ORM's answers must equal Odoo 17's, types included.
 */
const USERS: Record<string, unknown> = { admin_uid: 2, demo_uid: 6, admin_password: 'admin', demo_password: 'demo', db: 'db' };

function callOf(x: Exchange) {
  const args = substitute(x.args, USERS) as unknown[];
  if (x.method === 'execute_kw') {
    const [, uid, , model, method, margs, kwargs] = args;
    return { uid: uid as number, model: model as string, method: method as string, args: (margs ?? []) as unknown[], kwargs: (kwargs ?? {}) as Record<string, unknown> };
  }
  const [, uid, , model, method, ...rest] = args;
  return { uid: uid as number, model: model as string, method: method as string, args: rest, kwargs: {} };
}

function faultOf(err: unknown): { code: number; string: string } {
  if (err instanceof OdooError) {
    return { code: err.faultCode, string: err.faultCode === 1 ? `${err.pythonName}: ${err.message}` : err.message };
  }
  throw err;
}

export async function replayDirect(sidecar: TestSidecar, x: Exchange): Promise<{ ok: boolean; got: unknown }> {
  const c = callOf(x);
  let got: unknown;
  try {
    got = { result: await executeKw(sidecar.ctx, c.uid, c.model, c.method, c.args, c.kwargs) };
  } catch (err) {
    got = { fault: faultOf(err) };
  }
  return { ok: samePy(got, x.expect), got };
}

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

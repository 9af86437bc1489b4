/** res_partner.referral_code: issued once per partner, unique, back-filled by a job, at once for partners the sidecar creates. */
import { expect } from 'chai';
import { Knex } from 'knex';
import { runJob } from '../../src/jobs/scheduler';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { cheapPassword } from '../helpers/ledger';

describe('bridge: referral codes', () => {
  let sidecar: TestSidecar;
  let db: Knex;
  before(async () => {
    sidecar = await startTestSidecar('odoo17');
    db = sidecar.ctx.db.knex;
    await cheapPassword(db, 'admin', 'referral-test');
  });
  after(async () => sidecar?.close());

  it('the job back-fills every partner with a unique code, once; the next day it finds nothing to do', async () => {
    expect(Number((await db('res_partner').whereNotNull('referral_code').count('* as n'))[0].n)).to.equal(0);
    const out = await runJob(sidecar.ctx, 'referral-codes');
    const partners = Number((await db('res_partner').count('* as n'))[0].n);
    expect(out.result).to.deep.equal({ issued: partners });
    const codes = await db('res_partner').orderBy('id').pluck('referral_code');
    expect(new Set(codes).size).to.equal(partners);
    for (const code of codes) expect(code).to.match(/^[A-HJ-NP-Z2-9]{8}$/);
    const tomorrow = await runJob(sidecar.ctx, 'referral-codes', { now: new Date(Date.now() + 86_400_000) });
    expect(tomorrow.result).to.deep.equal({ issued: 0 });
    expect(await db('res_partner').orderBy('id').pluck('referral_code'), 'a code is never changed').to.deep.equal(codes);
  });

  it('a partner created through the sidecar\'s RPC has its code at once; a duplicate code is refused by the database', async () => {
    const res = await fetch(`${sidecar.url}/jsonrpc`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { service: 'object', method: 'execute_kw', args: [sidecar.ctx.dbName, 2, 'referral-test', 'res.partner', 'create', [{ name: 'Referred' }]] } }),
    });
    const { result: id } = (await res.json()) as { result: number };
    const code = (await db('res_partner').where({ id }).first('referral_code')).referral_code;
    expect(code).to.match(/^[A-HJ-NP-Z2-9]{8}$/);
    const other = (await db('res_partner').whereNot({ id }).first('id')).id;
    const clash = await db('res_partner').where({ id: other }).update({ referral_code: code }).catch((err: { code: string }) => err.code);
    expect(clash).to.equal('23505');
  });
});

import { expect } from 'chai';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { startSidecar, RunningSidecar } from '../../src/server';
import { hashPassword } from '../../src/auth/password';
import { jsonCall } from './helpers';
import { findJob } from '../../src/jobs/registry';
import '../../src/jobs';

const cookieOf = (setCookie: string[]) => setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('session_id='))!;

describe('rpc: web sessions in PostgreSQL', () => {
  let a: TestSidecar;
  let b: RunningSidecar;
  before(async () => {
    a = await startTestSidecar('odoo17');
    // A second replica on the same database.
    b = await startSidecar({ ...a.ctx.config, port: 0 });
    await a.ctx.db.knex('res_users').where({ id: 6 }).update({ password: await hashPassword('demo', 1000) });
  });
  after(async () => {
    await b?.close();
    await a?.close();
  });

  async function logIn(): Promise<string> {
    const res = await jsonCall(a.url, '/web/session/authenticate', { db: a.ctx.dbName, login: 'demo', password: 'demo' });
    expect(res.json).to.have.nested.property('result.uid', 6);
    const cookie = cookieOf(res.setCookie);
    expect(res.setCookie.join()).to.match(/HttpOnly/);
    return cookie;
  }

  it('a session opened on one replica is valid on another, and ends for both on destroy', async () => {
    const cookie = await logIn();
    const info = await jsonCall(b.url, '/web/session/get_session_info', {}, { cookie });
    expect(info.json).to.have.nested.property('result.uid', 6);
    expect(info.json).to.have.nested.property('result.username', 'demo');
    const destroy = await jsonCall(b.url, '/web/session/destroy', {}, { cookie });
    expect(destroy.json).to.deep.equal({ jsonrpc: '2.0', id: 1 });
    const after = await jsonCall(a.url, '/web/session/get_session_info', {}, { cookie });
    expect(after.json).to.deep.include({ id: null });
    expect(after.json).to.have.nested.property('error.code', 100);
  });

  it('ends the sessions of a user whose password changes or who is archived', async () => {
    const cookie = await logIn();
    await a.ctx.db.knex('res_users').where({ id: 6 }).update({ password: await hashPassword('other', 1000) });
    const res = await jsonCall(b.url, '/web/session/get_session_info', {}, { cookie });
    expect(res.json).to.have.nested.property('error.data.name', 'odoo.http.SessionExpiredException');
    await a.ctx.db.knex('res_users').where({ id: 6 }).update({ password: await hashPassword('demo', 1000) });

    const second = await logIn();
    await a.ctx.db.knex('res_users').where({ id: 6 }).update({ active: false });
    try {
      const archived = await jsonCall(a.url, '/web/session/get_session_info', {}, { cookie: second });
      expect(archived.json).to.have.nested.property('error.code', 100);
    } finally {
      await a.ctx.db.knex('res_users').where({ id: 6 }).update({ active: true });
    }
  });

  it('refuses a forged or unknown session id, and a database the sidecar does not serve', async () => {
    const forged = await jsonCall(a.url, '/web/dataset/call_kw', { model: 'res.partner', method: 'search', args: [[]], kwargs: {} }, { cookie: 'session_id=' + 'A'.repeat(43) });
    expect(forged.json).to.have.nested.property('error.code', 100);
    const otherDb = await jsonCall(a.url, '/web/session/authenticate', { db: 'postgres', login: 'demo', password: 'demo' });
    expect(otherDb.json).to.have.nested.property('error.data.name', 'odoo.exceptions.AccessError');
    expect(otherDb.json).to.have.nested.property('error.data.message', 'Database not found.');
    const version = await jsonCall(a.url, '/web/webclient/version_info', {});
    expect(version.json).to.have.nested.property('result.server_version', '17.0');
  });
});

describe('rpc: expire-sessions job', () => {
  let sidecar: TestSidecar;
  before(async () => {
    sidecar = await startTestSidecar('odoo17');
  });
  after(async () => sidecar?.close());

  it('deletes only the sessions idle longer than the lifetime', async () => {
    const knex = sidecar.ctx.db.knex;
    const base = { uid: 2, login: 'admin', db: sidecar.ctx.dbName, password_fingerprint: 'x' };
    await knex('sidecar_session').insert([
      { ...base, sid: 'old', last_seen: knex.raw(`(now() at time zone 'utc') - interval '8 days'`) },
      { ...base, sid: 'fresh', last_seen: knex.raw(`(now() at time zone 'utc') - interval '6 days'`) },
    ]);
    const job = findJob('expire-sessions')!;
    const outcome = await knex.transaction((trx) => job.run(trx, sidecar.ctx, new Date()));
    expect(outcome).to.deep.equal({ deleted: 1 });
    expect((await knex('sidecar_session').select('sid')).map((r: { sid: string }) => r.sid)).to.deep.equal(['fresh']);
  });
});

import { expect } from 'chai';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { startSidecar, RunningSidecar } from '../../src/server';
import { cheapPassword } from '../helpers/ledger';
import { COOLDOWN_MESSAGE } from '../../src/auth/cooldown';
import { xmlCall } from '../rpc/helpers';

/**
 * The login cooldown in PostgreSQL: two replicas on one database share it, counted per user
 * and per client address (a trusted proxy's X-Forwarded-For naming the client), and another
 * user's success does not reset an address.
 */
describe('security: login throttling across replicas and proxies', () => {
  let a: TestSidecar;
  let b: RunningSidecar;
  const db = () => a.ctx.dbName;
  /** XML-RPC common.login through replica `url`, as the proxy at 127.0.0.1 forwarding for `client`. */
  const loginVia = async (url: string, login: string, password: string, client: string) => {
    const body = `<?xml version="1.0"?><methodCall><methodName>login</methodName><params>${[db(), login, password].map((v) => `<param><value><string>${v}</string></value></param>`).join('')}</params></methodCall>`;
    const res = await fetch(url + '/xmlrpc/2/common', { method: 'POST', body, headers: { 'content-type': 'text/xml', 'x-forwarded-for': `198.51.100.99, ${client}` } });
    const text = await res.text();
    return /<int>(\d+)<\/int>/.exec(text)?.[1] ? Number(/<int>(\d+)<\/int>/.exec(text)![1]) : /<boolean>0<\/boolean>/.test(text) ? false : text;
  };

  before(async () => {
    a = await startTestSidecar('odoo17', { trustedProxies: ['127.0.0.1'] });
    b = await startSidecar({ ...a.ctx.config });
    for (const [login, pw] of [['demo', 'demo-pw'], ['cashier', 'cashier-pw'], ['admin', 'admin-pw']]) await cheapPassword(a.ctx.db.knex, login, pw);
    await a.ctx.db.knex('ir_config_parameter').where({ key: 'base.login_cooldown_after' }).update({ value: '3' });
    await a.ctx.db.knex('ir_config_parameter').where({ key: 'base.login_cooldown_duration' }).update({ value: '60' });
  });
  after(async () => {
    await b?.close();
    await a?.close();
  });

  it('counts failures per user across replicas: the third failure on one replica cools the user down on the other', async () => {
    expect(await loginVia(a.url, 'demo', 'wrong', '203.0.113.1')).to.equal(false);
    expect(await loginVia(b.url, 'demo', 'wrong', '203.0.113.2')).to.equal(false);
    expect(await loginVia(a.url, 'demo', 'wrong', '203.0.113.3')).to.equal(false);
    // Right password, fourth address, other replica: still cooling down (common.login answers False).
    expect(await loginVia(b.url, 'demo', 'demo-pw', '203.0.113.4')).to.equal(false);
    const rows = (await a.ctx.db.knex('sidecar_login_failure').where({ key: 'user:6' }).first('failures'));
    expect(rows.failures).to.equal(3);
    // execute_kw says why, with Odoo's message.
    const kw = await xmlCall(b.url, '/xmlrpc/2/object', 'execute_kw', [db(), 6, 'demo-pw', 'res.partner', 'search', [[]]]);
    expect(kw).to.deep.equal({ fault: { code: 3, string: COOLDOWN_MESSAGE } });
  });

  it('counts per client address behind the trusted proxy; another user\'s success does not reset the address', async () => {
    const attacker = '192.0.2.50';
    // Guessing three different logins from one address, logging in with an own account between guesses.
    for (const victim of ['nobody-1', 'nobody-2']) {
      expect(await loginVia(a.url, victim, 'guess', attacker)).to.equal(false);
      expect(await loginVia(b.url, 'cashier', 'cashier-pw', attacker)).to.equal(8);
    }
    expect(await loginVia(a.url, 'nobody-3', 'guess', attacker)).to.equal(false);
    // Three failures from the address: even a right password is refused from it now ...
    expect(await loginVia(b.url, 'cashier', 'cashier-pw', attacker)).to.equal(false);
    // ... and only from it: the proxy's other clients log in.
    expect(await loginVia(a.url, 'cashier', 'cashier-pw', '192.0.2.51')).to.equal(8);
    // A client cannot pick its address: what it wrote itself sits left of what the proxy appended.
    expect(await loginVia(a.url, 'admin', 'admin-pw', attacker)).to.equal(false);
  });
});

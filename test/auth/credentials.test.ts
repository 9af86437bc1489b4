import { expect } from 'chai';
import sinon from 'sinon';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { authenticate, checkBearer, checkUid, clearCredentialCache, FRESH_MS, login } from '../../src/auth/credentials';
import { resetCooldowns, COOLDOWN_MESSAGE } from '../../src/auth/cooldown';
import { hashPassword } from '../../src/auth/password';
import { addApiKey as addKey } from '../helpers/apikeys';
import { AccessDenied } from '../../src/errors';
import { jsonCall, xmlCall } from '../rpc/helpers';

const addApiKey = (sidecar: TestSidecar, uid: number, scope: string | null, expires?: string) => addKey(sidecar.ctx.db.knex, uid, scope, expires);

async function denied(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(AccessDenied);
    return (err as Error).message;
  }
  throw new Error('expected AccessDenied');
}

describe('auth: credentials', () => {
  let sidecar: TestSidecar;
  const knex = () => sidecar.ctx.db.knex;
  before(async () => {
    sidecar = await startTestSidecar('odoo17');
    // Later Odoo versions give API keys an expiry; the check must honour it where the column exists.
    await knex().raw('alter table res_users_apikeys add column expiration_date timestamp without time zone');
    // Cheaper hashes for the users these tests fail on many times (600,000 rounds cost ~0.4 s each).
    for (const [id, password] of [[6, 'demo'], [8, 'cashier']] as const) {
      await knex()('res_users').where({ id }).update({ password: await hashPassword(password, 1000) });
    }
  });
  after(async () => sidecar?.close());
  beforeEach(() => {
    clearCredentialCache();
    return resetCooldowns(knex());
  });

  it('accepts an API key in place of the password for RPC, never for the interactive web login', async () => {
    const { key } = await addApiKey(sidecar, 6, 'rpc');
    const db = sidecar.ctx.dbName;
    expect(await xmlCall(sidecar.url, '/xmlrpc/2/common', 'authenticate', [db, 'demo', key, {}])).to.deep.equal({ result: 6 });
    await checkUid(knex(), 6, key);
    expect(await authenticate(knex(), 'admin', key)).to.equal(null); // another user's key
    const web = await jsonCall(sidecar.url, '/web/session/authenticate', { db, login: 'demo', password: key });
    expect(web.json).to.have.nested.property('error.data.name', 'odoo.exceptions.AccessDenied');
    // REST: Bearer <key> authenticates (the unknown endpoint answers 404, not 401).
    const rest = await fetch(`${sidecar.url}/api/v1/nothing-here`, { headers: { authorization: `Bearer ${key}` } });
    expect(rest.status).to.equal(404);
    const wrong = await fetch(`${sidecar.url}/api/v1/nothing-here`, { headers: { authorization: `Bearer ${key.slice(0, 8)}${'0'.repeat(32)}` } });
    expect(wrong.status).to.equal(401);
  });

  it('honours the key scope, its expiry, the user being active, and its deletion even once cached', async () => {
    const other = await addApiKey(sidecar, 6, 'other-scope');
    expect(await authenticate(knex(), 'demo', other.key)).to.equal(null);
    const anyScope = await addApiKey(sidecar, 6, null);
    expect(await authenticate(knex(), 'demo', anyScope.key)).to.equal(6);
    const expired = await addApiKey(sidecar, 6, 'rpc', '2020-01-01 00:00:00');
    expect(await authenticate(knex(), 'demo', expired.key)).to.equal(null);
    const future = await addApiKey(sidecar, 6, 'rpc', '2999-01-01 00:00:00');
    expect(await authenticate(knex(), 'demo', future.key)).to.equal(6);

    // Changes made behind the sidecar's back (here: SQL) count once a cached proof is FRESH_MS old.
    const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
    try {
      const { key, id } = await addApiKey(sidecar, 6, 'rpc');
      await checkUid(knex(), 6, key); // verified and cached
      expect(await checkBearer(knex(), key)).to.equal(6);
      await knex()('res_users_apikeys').where({ id }).delete();
      clock.tick(FRESH_MS);
      await denied(checkUid(knex(), 6, key));
      await denied(checkBearer(knex(), key));

      const again = await addApiKey(sidecar, 8, 'rpc');
      await checkUid(knex(), 8, again.key);
      await checkUid(knex(), 8, 'cashier');
      await knex()('res_users').where({ id: 8 }).update({ active: false });
      try {
        clock.tick(FRESH_MS);
        await denied(checkUid(knex(), 8, again.key));
        await denied(checkUid(knex(), 8, 'cashier'));
      } finally {
        await knex()('res_users').where({ id: 8 }).update({ active: true });
      }
    } finally {
      clock.restore();
    }
  });

  it('reads the database for a cached credential only once FRESH_MS has passed since it was confirmed', async () => {
    const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
    const original = (await knex()('res_users').where({ id: 6 }).first('password')).password;
    try {
      await checkUid(knex(), 6, 'demo');
      await knex()('res_users').where({ id: 6 }).update({ password: await hashPassword('other', 1000) });
      clock.tick(FRESH_MS - 1);
      await checkUid(knex(), 6, 'demo'); // still within the window: no query, the old proof counts
      clock.tick(1);
      await denied(checkUid(knex(), 6, 'demo'));
      await checkUid(knex(), 6, 'other');
      // Every confirmation restarts the window: a proof checked again stays fresh.
      clock.tick(FRESH_MS - 1);
      await checkUid(knex(), 6, 'other');
    } finally {
      clock.restore();
      await knex()('res_users').where({ id: 6 }).update({ password: original });
    }
  });

  it('drops cached credentials at once when a user is written through the ORM, as Odoo clears its check cache', async () => {
    const db = sidecar.ctx.dbName;
    const demoCalls = () => xmlCall(sidecar.url, '/xmlrpc/2/object', 'execute_kw', [db, 6, 'demo', 'res.partner', 'search_count', [[]]]);
    expect(await demoCalls()).to.have.property('result').that.is.a('number');
    expect(await xmlCall(sidecar.url, '/xmlrpc/2/object', 'execute_kw', [db, 2, 'admin', 'res.users', 'write', [[6], { active: false }]])).to.deep.equal({ result: true });
    try {
      expect(await demoCalls()).to.have.nested.property('fault.string').that.matches(/Access Denied|AccessDenied/);
    } finally {
      await knex()('res_users').where({ id: 6 }).update({ active: true });
    }
  });

  it('caches a verified password without pbkdf2 on later calls, and drops it when the password changes', async () => {
    let t = Date.now();
    await checkUid(knex(), 2, 'admin');
    const first = Date.now() - t;
    t = Date.now();
    for (let i = 0; i < 20; i++) await checkUid(knex(), 2, 'admin');
    const cached = (Date.now() - t) / 20;
    expect(first).to.be.greaterThan(50); // 600,000 rounds of pbkdf2
    expect(cached).to.be.lessThan(first / 5);

    const original = (await knex()('res_users').where({ id: 2 }).first('password')).password;
    try {
      await knex()('res_users').where({ id: 2 }).update({ password: await hashPassword('n3w-secret', 1000) });
      clearCredentialCache(); // as a write through the ORM does; behind its back the change counts after FRESH_MS (above)
      await denied(checkUid(knex(), 2, 'admin'));
      await checkUid(knex(), 2, 'n3w-secret');
      expect(await login(knex(), 'admin', 'n3w-secret')).to.equal(2);
    } finally {
      await knex()('res_users').where({ id: 2 }).update({ password: original });
      clearCredentialCache();
    }
    await denied(checkUid(knex(), 2, 'n3w-secret'));
  });

  it('accepts a plain-text password column and re-hashes it, as Odoo does', async () => {
    const original = (await knex()('res_users').where({ id: 6 }).first('password')).password;
    try {
      await knex()('res_users').where({ id: 6 }).update({ password: 'plain-demo' });
      expect(await authenticate(knex(), 'demo', 'plain-demo')).to.equal(6);
      const stored = (await knex()('res_users').where({ id: 6 }).first('password')).password;
      expect(stored).to.match(/^\$pbkdf2-sha512\$600000\$/);
      expect(await authenticate(knex(), 'demo', 'plain-demo')).to.equal(6);
    } finally {
      await knex()('res_users').where({ id: 6 }).update({ password: original });
    }
  });

  it('cools an address down after base.login_cooldown_after failures, for base.login_cooldown_duration', async () => {
    await knex()('ir_config_parameter').where({ key: 'base.login_cooldown_after' }).update({ value: '3' });
    await knex()('ir_config_parameter').where({ key: 'base.login_cooldown_duration' }).update({ value: '60' });
    const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
    try {
      const from = { remoteAddr: '203.0.113.7' };
      for (let i = 0; i < 3; i++) expect(await authenticate(knex(), 'demo', 'wrong', from)).to.equal(null);
      expect(await denied(login(knex(), 'demo', 'demo', from))).to.equal(COOLDOWN_MESSAGE);
      await denied(checkUid(knex(), 6, 'demo', from));
      // Per address: another user is refused from that address; per user: demo is refused from elsewhere too.
      expect(await denied(login(knex(), 'cashier', 'cashier', from))).to.equal(COOLDOWN_MESSAGE);
      expect(await denied(login(knex(), 'demo', 'demo', { remoteAddr: '203.0.113.8' }))).to.equal(COOLDOWN_MESSAGE);
      expect(await login(knex(), 'cashier', 'cashier', { remoteAddr: '203.0.113.8' })).to.equal(8);
      clock.tick(61_000);
      expect(await login(knex(), 'demo', 'demo', from)).to.equal(6);
      // A success clears the count: two more failures do not trigger the cooldown.
      for (let i = 0; i < 2; i++) await denied(login(knex(), 'demo', 'bad', from));
      expect(await login(knex(), 'demo', 'demo', from)).to.equal(6);
      // 0 disables the cooldown.
      await knex()('ir_config_parameter').where({ key: 'base.login_cooldown_after' }).update({ value: '0' });
      for (let i = 0; i < 4; i++) await denied(login(knex(), 'demo', 'bad', from));
      expect(await login(knex(), 'demo', 'demo', from)).to.equal(6);
    } finally {
      clock.restore();
    }
  });

  it('applies the cooldown over the wire: execute_kw answers fault 3 with Odoo\'s message', async () => {
    await knex()('ir_config_parameter').where({ key: 'base.login_cooldown_after' }).update({ value: '2' });
    const db = sidecar.ctx.dbName;
    try {
      for (let i = 0; i < 2; i++) {
        expect(await xmlCall(sidecar.url, '/xmlrpc/2/object', 'execute_kw', [db, 6, 'nope', 'res.partner', 'search', [[]]])).to.deep.equal({ fault: { code: 3, string: 'Access Denied' } });
      }
      expect(await xmlCall(sidecar.url, '/xmlrpc/2/object', 'execute_kw', [db, 6, 'demo', 'res.partner', 'search', [[]]])).to.deep.equal({ fault: { code: 3, string: COOLDOWN_MESSAGE } });
      expect(await xmlCall(sidecar.url, '/xmlrpc/2/common', 'login', [db, 'demo', 'demo'])).to.deep.equal({ result: false });
    } finally {
      await resetCooldowns(knex());
    }
  });
});

import { expect } from 'chai';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { loadConfig, ConfigError } from '../../src/config';
import { hashPassword, verifyPassword } from '../../src/auth/password';
import { authenticate } from '../../src/auth/credentials';

describe('foundation: boot', () => {
  describe('attached to a restored Odoo 17 database', () => {
    let sidecar: TestSidecar;
    before(async () => {
      sidecar = await startTestSidecar('odoo17');
    });
    after(async () => sidecar?.close());

    it('detects attached mode and answers to the database name', async () => {
      expect(sidecar.ctx.mode).to.equal('attached');
      expect(sidecar.ctx.dbName).to.equal(sidecar.database.name);
      const health = await (await fetch(sidecar.url + '/healthz')).json();
      expect(health).to.include({ status: 'ok', mode: 'attached', engine: 'postgres' });
    });

    it('answers common.version() over XML-RPC', async () => {
      const body = '<?xml version="1.0"?><methodCall><methodName>version</methodName><params></params></methodCall>';
      const res = await fetch(sidecar.url + '/xmlrpc/2/common', { method: 'POST', body, headers: { 'content-type': 'text/xml' } });
      expect(res.status).to.equal(200);
      const xml = await res.text();
      expect(xml).to.contain('<name>server_version</name><value><string>17.0</string></value>');
    });

    it('authenticates with the passwords Odoo stored', async () => {
      const db = sidecar.ctx.db.knex;
      expect(await authenticate(db, 'admin', 'admin')).to.equal(2);
      expect(await authenticate(db, 'demo', 'demo')).to.equal(6);
      expect(await authenticate(db, 'admin', 'wrong')).to.equal(null);
      expect(await authenticate(db, 'former.cashier', 'former')).to.equal(null);
    });
    it('keeps its migration bookkeeping in tables that cannot clash with Odoo', async () => {
      const tables = (await sidecar.ctx.db.knex.raw(`select tablename from pg_tables where tablename like '%knex%'`)).rows.map((r: { tablename: string }) => r.tablename);
      expect(tables.sort()).to.deep.equal(['sidecar_knex_migrations', 'sidecar_knex_migrations_lock']);
    });
  });

  describe('on an empty database (standalone)', () => {
    let sidecar: TestSidecar;
    before(async () => {
      sidecar = await startTestSidecar('empty');
    });
    after(async () => sidecar?.close());

    it('creates the Odoo-shaped schema and serves in standalone mode, without demo data', async () => {
      expect(sidecar.ctx.mode).to.equal('standalone');
      const health = await (await fetch(sidecar.url + '/healthz')).json();
      expect(health).to.include({ status: 'ok', mode: 'standalone', engine: 'postgres' });
      const db = sidecar.ctx.db.knex;
      expect(Number((await db('ir_model').where({ model: 'loyalty.program' }).count({ n: '*' }))[0].n)).to.equal(1);
      expect(Number((await db('loyalty_program').count({ n: '*' }))[0].n)).to.equal(0);
    });
  });

  describe('configuration', () => {
    it('has defaults for everything', () => {
      const c = loadConfig({});
      expect(c).to.include({ port: 8070, databaseUrl: null, logLevel: 'info', odooDb: null });
    });
    it('refuses a bad value with one line naming the variable', () => {
      expect(() => loadConfig({ PORT: 'eighty' })).to.throw(ConfigError, /^invalid configuration: PORT="eighty"/);
      expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).to.throw(ConfigError, /DATABASE_URL/);
      expect(() => loadConfig({ LOG_LEVEL: 'loud' })).to.throw(ConfigError, /LOG_LEVEL/);
    });
    it('coerces numbers', () => {
      expect(loadConfig({ PORT: '9000' }).port).to.equal(9000);
    });
  });
});

describe('foundation: passwords', () => {
  it('verifies Odoo 17 pbkdf2-sha512 hashes and plain-text values', async () => {
    const stored = await hashPassword('s3cret', 1000);
    expect(stored).to.match(/^\$pbkdf2-sha512\$1000\$[A-Za-z0-9./]+\$[A-Za-z0-9./]+$/);
    expect(await verifyPassword('s3cret', stored)).to.equal(true);
    expect(await verifyPassword('S3cret', stored)).to.equal(false);
    expect(await verifyPassword('plain', 'plain')).to.equal(true);
    expect(await verifyPassword('', 'plain')).to.equal(false);
  });
});

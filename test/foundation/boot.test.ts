import { expect } from 'chai';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { loadConfig, ConfigError } from '../../src/config';

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

    it('keeps its migration bookkeeping in tables that cannot clash with Odoo', async () => {
      const tables = (await sidecar.ctx.db.knex.raw(`select tablename from pg_tables where tablename like '%knex%'`)).rows.map((r: { tablename: string }) => r.tablename);
      expect(tables.sort()).to.deep.equal(['sidecar_knex_migrations', 'sidecar_knex_migrations_lock']);
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

/**
 * Real clients nobody here wrote, against the real service: Python's xmlrpc.client, OdooRPC
 * (Debian package python3-odoorpc, for /usr/bin/python3), and the npm packages odoo-await
 * and odoo-xmlrpc. Each logs in, reads, creates, writes, unlinks, and meets a wrong password.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const OdooAwait = require('odoo-await');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const OdooXmlrpc = require('odoo-xmlrpc');

const run = promisify(execFile);
const SCRIPTS = path.join(__dirname, 'clients');
// OdooRPC is installed for the system Python (apt python3-odoorpc).
const SYSTEM_PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

async function python(script: string, args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(SYSTEM_PYTHON, [path.join(SCRIPTS, script), ...args], { timeout: 30_000 });
  return JSON.parse(stdout);
}

describe('rpc: real clients', function () {
  let sidecar: TestSidecar;
  let url: URL;
  const db = () => sidecar.ctx.dbName;
  before(async () => {
    sidecar = await startTestSidecar('odoo17');
    url = new URL(sidecar.url);
  });
  after(async () => sidecar?.close());

  describe("Python's xmlrpc.client", () => {
    it('logs in, reads with Python types, and gets False / fault 3 for a wrong password', async () => {
      const out = await python('python_xmlrpc.py', [sidecar.url, db(), 'read']);
      expect(out).to.deep.include({
        uid: 2,
        version: '17.0',
        wrong_password: false,
        wrong_password_call: { fault: [3, 'Access Denied'] },
        search_read: [{ id: 14, name: 'Azure Interior' }],
        read: [{ id: 20, points: 3006.75, partner_id: [71, 'Sophia Wilson'] }],
        points_type: 'float',
      });
    });
    it('creates, writes, reads back and unlinks a partner', async () => {
      const out = await python('python_xmlrpc.py', [sidecar.url, db(), 'write']);
      expect(out.create).to.be.a('number');
      expect(out).to.deep.include({ write: true, read_back: [{ id: out.create, name: 'Probe renamed' }], unlink: true, gone: [] });
    });
  });

  describe('OdooRPC (JSON-RPC, web session)', () => {
    it('logs in, reads, and refuses a wrong password', async () => {
      const out = await python('odoorpc_client.py', [url.hostname, url.port, db(), 'read']);
      expect(out).to.deep.include({
        version: '17.0',
        uid: 2,
        search_read: [{ id: 14, name: 'Azure Interior' }],
        read: [{ id: 20, points: 3006.75 }],
        model_read: [{ id: 14, name: 'Azure Interior' }],
        browse: 'Azure Interior',
      });
      expect(out.wrong_password).to.have.property('error').that.matches(/^RPCError: Access Denied/);
    });
    it('creates, writes, reads back and unlinks a partner', async () => {
      const out = await python('odoorpc_client.py', [url.hostname, url.port, db(), 'write']);
      expect(out.crud).to.deep.equal({ id_type: 'int', name: 'Probe renamed', gone: [] });
    });
  });

  describe('npm odoo-await', () => {
    const client = (password = 'admin') => new OdooAwait({ baseUrl: `http://${url.hostname}`, port: Number(url.port), db: db(), username: 'admin', password });
    it('logs in, reads, and refuses a wrong password', async () => {
      const odoo = client();
      expect(await odoo.connect()).to.equal(2);
      expect(await odoo.searchRead('res.partner', [['id', '=', 14]], ['name'])).to.deep.equal([{ id: 14, name: 'Azure Interior' }]);
      expect(await odoo.read('loyalty.card', [20], ['points'])).to.deep.equal([{ id: 20, points: 3006.75 }]);
      let refused: unknown;
      await client('wrong').connect().catch((e: unknown) => (refused = e));
      expect(String(refused)).to.match(/invalid credentials/);
    });
    it('creates, writes, reads back and unlinks a partner', async () => {
      const odoo = client();
      await odoo.connect();
      const id = await odoo.create('res.partner', { name: 'Probe from odoo-await' });
      expect(id).to.be.a('number');
      expect(await odoo.update('res.partner', id, { name: 'Probe renamed' })).to.equal(true);
      expect(await odoo.read('res.partner', id, ['name'])).to.deep.equal([{ id, name: 'Probe renamed' }]);
      await odoo.delete('res.partner', id);
      expect(await odoo.search('res.partner', [['id', '=', id]])).to.deep.equal([]);
    });
  });

  describe('npm odoo-xmlrpc', () => {
    const client = (password = 'admin') => new OdooXmlrpc({ url: `http://${url.hostname}`, port: Number(url.port), db: db(), username: 'admin', password });
    const connect = (odoo: { connect: (cb: (e: unknown, uid: unknown) => void) => void }) =>
      new Promise<unknown>((resolve, reject) => odoo.connect((e, uid) => (e ? reject(e) : resolve(uid))));
    const call = (odoo: { execute_kw: (m: string, meth: string, p: unknown[], cb: (e: unknown, v: unknown) => void) => void }, model: string, method: string, params: unknown[]) =>
      new Promise<unknown>((resolve, reject) => odoo.execute_kw(model, method, params, (e, v) => (e ? reject(e) : resolve(v))));
    it('logs in, reads, and refuses a wrong password', async () => {
      const odoo = client();
      expect(await connect(odoo)).to.equal(2);
      expect(await call(odoo, 'res.partner', 'search_read', [[[['id', '=', 14]]], { fields: ['name'] }])).to.deep.equal([{ id: 14, name: 'Azure Interior' }]);
      expect(await call(odoo, 'loyalty.card', 'read', [[[20]], { fields: ['points'] }])).to.deep.equal([{ id: 20, points: 3006.75 }]);
      const refused = await connect(client('wrong')).catch((e: { message?: string }) => e.message);
      expect(refused).to.equal('No UID returned from authentication.');
    });
    it('creates, writes, reads back and unlinks a partner', async () => {
      const odoo = client();
      await connect(odoo);
      const id = await call(odoo, 'res.partner', 'create', [[{ name: 'Probe from odoo-xmlrpc' }]]);
      expect(id).to.be.a('number');
      expect(await call(odoo, 'res.partner', 'write', [[[id], { name: 'Probe renamed' }]])).to.equal(true);
      expect(await call(odoo, 'res.partner', 'read', [[[id]], { fields: ['name'] }])).to.deep.equal([{ id, name: 'Probe renamed' }]);
      expect(await call(odoo, 'res.partner', 'unlink', [[[id]]])).to.equal(true);
      expect(await call(odoo, 'res.partner', 'search', [[[['id', '=', id]]]])).to.deep.equal([]);
    });
  });
});

import { expect } from 'chai';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { jsonCall, jsonPost, xmlBody, xmlCall } from './helpers';

/** A fingerprint of what a bad request could have changed. */
async function state(sidecar: TestSidecar): Promise<string> {
  const knex = sidecar.ctx.db.knex;
  const rows = await knex.raw(`select
      (select md5(string_agg(id || ':' || coalesce(name, '') || coalesce(write_date::text, ''), ',' order by id)) from res_partner) as partners,
      (select md5(string_agg(id || ':' || coalesce(password, ''), ',' order by id)) from res_users) as users,
      (select count(*) from sidecar_session) as sessions`);
  return JSON.stringify(rows.rows[0]);
}

describe('rpc: bad input', () => {
  let sidecar: TestSidecar;
  let initial: string;
  const db = () => sidecar.ctx.dbName;
  before(async () => {
    sidecar = await startTestSidecar('odoo17', { maxBodyBytes: 64 * 1024 });
    initial = await state(sidecar);
  });
  after(async () => sidecar?.close());
  afterEach(async () => {
    // Nothing written, and the process still serves.
    expect(await state(sidecar)).to.equal(initial);
    const version = await xmlCall(sidecar.url, '/xmlrpc/2/common', 'version', []);
    expect(version).to.have.nested.property('result.server_version', '17.0');
  });

  it('answers malformed XML with fault 1 (ExpatError)', async () => {
    const answer = await xmlBody(sidecar.url, '/xmlrpc/2/object', '<methodCall><methodName>execute_kw</methodName><params>');
    expect(answer).to.deep.equal({ fault: { code: 1, string: 'xml.parsers.expat.ExpatError: no element found: line 1, column 55' } });
    const notRpc = await xmlBody(sidecar.url, '/xmlrpc/2/common', '<html><body>hi</body></html>');
    expect(notRpc).to.have.nested.property('fault.code', 1);
  });

  it('refuses a DOCTYPE with an external entity (XXE) and entity expansion', async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
      <methodCall><methodName>login</methodName><params><param><value><string>&xxe;</string></value></param></params></methodCall>`;
    const answer = await xmlBody(sidecar.url, '/xmlrpc/2/common', xxe);
    expect(answer).to.have.nested.property('fault.code', 1);
    expect(String((answer as { fault: { string: string } }).fault.string)).to.match(/^xml\.parsers\.expat\.ExpatError: DTD and entity declarations are refused/);
    const laughs = `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><methodCall><methodName>version</methodName></methodCall>`;
    expect(await xmlBody(sidecar.url, '/xmlrpc/2/common', laughs)).to.have.nested.property('fault.code', 1);
  });

  it('refuses bodies over MAX_BODY_BYTES on every endpoint', async () => {
    const big = 'x'.repeat(70 * 1024);
    const xml = await xmlCall(sidecar.url, '/xmlrpc/2/common', 'login', [db(), 'admin', big]);
    expect(xml).to.deep.equal({ fault: { code: 1, string: 'werkzeug.exceptions.RequestEntityTooLarge: 413 Request Entity Too Large: The data value transmitted exceeds the capacity limit.' } });
    const json = await jsonCall(sidecar.url, '/jsonrpc', { service: 'common', method: 'login', args: [db(), 'admin', big] });
    expect(json.status).to.equal(200);
    expect(json.json).to.have.nested.property('error.data.name', 'werkzeug.exceptions.RequestEntityTooLarge');
    const web = await jsonCall(sidecar.url, '/web/session/authenticate', { db: db(), login: 'admin', password: big });
    expect(web.json).to.have.nested.property('error.data.name', 'werkzeug.exceptions.RequestEntityTooLarge');
  });

  it('refuses absurd nesting over XML-RPC and JSON-RPC', async () => {
    const depth = 3000;
    const nested = '<value><array><data>'.repeat(depth) + '</data></array></value>'.repeat(depth);
    const xml = await xmlBody(sidecar.url, '/xmlrpc/2/object', `<methodCall><methodName>execute_kw</methodName><params><param>${nested}</param></params></methodCall>`);
    expect(xml).to.have.nested.property('fault.code', 1);
    const json = await jsonPost(sidecar.url, '/jsonrpc', `{"jsonrpc":"2.0","method":"call","id":5,"params":{"service":"object","method":"execute_kw","args":${'['.repeat(depth)}${']'.repeat(depth)}}}`);
    expect(json.json).to.have.nested.property('error.data.name', 'builtins.RecursionError');
    expect(json.json).to.have.property('id', null);
  });

  it('answers other HTTP methods than POST on XML-RPC with 405, as Odoo', async () => {
    const res = await fetch(sidecar.url + '/xmlrpc/2/common');
    expect([res.status, res.headers.get('allow')]).to.deep.equal([405, 'POST']);
  });

  it('answers malformed JSON as Odoo does (HTTP 400)', async () => {
    const bad = await jsonPost(sidecar.url, '/jsonrpc', '{"jsonrpc": "2.0", "params": ');
    expect([bad.status, bad.text]).to.deep.equal([400, 'Invalid JSON data']);
    const notObject = await jsonPost(sidecar.url, '/web/dataset/call_kw', '[1, 2]');
    expect([notObject.status, notObject.text]).to.deep.equal([400, 'Invalid JSON-RPC data']);
  });

  it('answers wrong argument types with the TypeError Python raises', async () => {
    const cases: Array<[unknown[], string]> = [
      [[db(), [2], 'admin', 'res.partner', 'search', [[]]], "TypeError: int() argument must be a string, a bytes-like object or a real number, not 'list'"],
      [[db(), 2, 'admin', 'res.partner', 'search', 5], 'TypeError: execute() argument after * must be an iterable, not int'],
      [[db(), 2, 'admin', 'res.partner', 'search', [[]], [1]], 'TypeError: execute() argument after ** must be a mapping, not list'],
      [[db(), 2, 'admin', ['res.partner'], 'search', [[]]], "TypeError: unhashable type: 'list'"],
      [[db(), 2, 'admin', 'res.partner', 7, [[]]], "TypeError: attribute name must be string, not 'int'"],
      [[db(), 2], 'IndexError: tuple index out of range'],
      [[db(), 2, 'admin', 'res.partner', 'search', [[]], {}, 'extra'], 'TypeError: execute_kw() takes from 5 to 6 positional arguments but 7 were given'],
      [['no_such_db', 2, 'admin', 'res.partner', 'search', [[]]], 'psycopg2.OperationalError: connection to server failed: FATAL:  database "no_such_db" does not exist'],
    ];
    for (const [params, expected] of cases) {
      expect(await xmlCall(sidecar.url, '/xmlrpc/2/object', 'execute_kw', params), expected).to.deep.equal({ fault: { code: 1, string: expected } });
    }
    expect(await xmlCall(sidecar.url, '/xmlrpc/2/common', 'version', [1])).to.deep.equal({ fault: { code: 1, string: 'TypeError: exp_version() takes 0 positional arguments but 1 was given' } });
    const json = await jsonCall(sidecar.url, '/jsonrpc', { service: 'object', method: 'execute_kw', args: { not: 'a list' } });
    expect(json.json).to.have.nested.property('error.data.name', 'builtins.TypeError');
    const short = await jsonCall(sidecar.url, '/jsonrpc', { service: 'object', method: 'execute_kw', args: [db(), 'x'] });
    expect(short.json).to.have.nested.property('error.data.message', "invalid literal for int() with base 10: 'x'");
    const shorter = await jsonCall(sidecar.url, '/jsonrpc', { service: 'object', method: 'execute_kw', args: [db(), 2] });
    expect(shorter.json).to.have.nested.property('error.data.message', 'list index out of range');
    const noArgs = await jsonCall(sidecar.url, '/jsonrpc', { service: 'common', method: 'version' });
    expect(noArgs.json).to.have.nested.property('error.data.message', "RPC.jsonrpc() missing 1 required positional argument: 'args'");
  });

  it('never calls a private method, on any endpoint', async () => {
    const xml = await xmlCall(sidecar.url, '/xmlrpc/2/object', 'execute_kw', [db(), 2, 'admin', 'res.users', '_check_credentials', [[2], 'x']]);
    expect(xml).to.deep.equal({ fault: { code: 4, string: "Private methods (such as 'res.users._check_credentials') cannot be called remotely." } });
    const legacy = await xmlCall(sidecar.url, '/xmlrpc/object', 'execute', [db(), 2, 'admin', 'res.users', '__init__']);
    expect(legacy).to.deep.equal({ fault: { code: "warning -- AccessError\n\nPrivate methods (such as 'res.users.__init__') cannot be called remotely.", string: '' } });
  });

  it('refuses the db service operations that need the master password', async () => {
    for (const method of ['create_database', 'drop', 'dump', 'duplicate_database', 'rename', 'change_admin_password']) {
      const answer = await xmlCall(sidecar.url, '/xmlrpc/2/db', method, ['admin', db()]);
      expect(answer, method).to.deep.equal({ fault: { code: 3, string: 'Access Denied' } });
    }
    expect(await xmlCall(sidecar.url, '/xmlrpc/2/db', 'list', [])).to.deep.equal({ result: [db()] });
    expect(await xmlCall(sidecar.url, '/xmlrpc/2/db', 'nope', [])).to.deep.equal({ fault: { code: 1, string: "KeyError: 'Method not found: nope'" } });
  });
});

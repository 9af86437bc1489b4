/**
 * Odoo 19's JSON-2 API on the sidecar's Odoo 17 database, over real HTTP, as admin and as an
 * unprivileged user (demo), following Odoo 19's documented usage (external JSON-2 API:
 * POST /json/2/<model>/<method>, `Authorization: bearer <API key>`, `X-Odoo-Database`, the
 * body's keys as named arguments, errors as {name, message, arguments, context, debug} with the
 * exception's HTTP status). Answers are compared with XML-RPC's for the same calls rather than
 * with written-out values.
 */
import { expect } from 'chai';
import http from 'node:http';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { addApiKey } from '../helpers/apikeys';
import { json2Call, jsonCall, jsonPost, xmlCall } from './helpers';

/** A POST with headers fetch() would replace (a browser's Sec-Fetch-*). */
function rawPost(url: string, path: string, body: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('JSON-2: POST /json/2/<model>/<method>', function () {
  let sidecar: TestSidecar;
  let url: string;
  let db: string;
  let adminKey: string;
  let demoKey: string;
  const xml = async (uid: number, password: string, model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) => {
    const answer = await xmlCall(url, '/xmlrpc/2/object', 'execute_kw', [db, uid, password, model, method, args, kwargs]);
    if ('fault' in answer) throw new Error(`fault ${answer.fault.code}: ${answer.fault.string}`);
    return JSON.parse(JSON.stringify(answer.result));
  };

  before(async () => {
    sidecar = await startTestSidecar('odoo17');
    url = sidecar.url;
    db = sidecar.ctx.dbName;
    adminKey = (await addApiKey(sidecar.ctx.db.knex, 2)).key;
    demoKey = (await addApiKey(sidecar.ctx.db.knex, 6, null)).key;
  });
  after(async () => sidecar?.close());

  it("answers Odoo 19's documented search_read (context, domain, fields; X-Odoo-Database) as XML-RPC answers it", async () => {
    const body = { context: { lang: 'fr_FR' }, domain: [['name', 'ilike', 'club'], ['active', '=', true]], fields: ['name', 'program_type'] };
    const res = await json2Call(url, 'loyalty.program', 'search_read', adminKey, body, { 'X-Odoo-Database': db });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('application/json; charset=utf-8');
    const viaXml = await xml(2, 'admin', 'loyalty.program', 'search_read', [body.domain], { fields: body.fields, context: body.context });
    expect(viaXml).to.have.length.greaterThan(0);
    expect(JSON.parse(res.text)).to.deep.equal(viaXml);
  });

  it('binds ids to the records of record methods, and answers recordsets as ids', async () => {
    const read = await json2Call(url, 'loyalty.card', 'read', adminKey, { ids: [20, 21], fields: ['code', 'points', 'partner_id'] });
    expect(JSON.parse(read.text)).to.deep.equal(await xml(2, 'admin', 'loyalty.card', 'read', [[20, 21]], { fields: ['code', 'points', 'partner_id'] }));
    expect(read.text).to.include('"points": 3006.75');
    // No ids: the empty recordset.
    expect(JSON.parse((await json2Call(url, 'loyalty.card', 'read', adminKey, { fields: ['code'] })).text)).to.deep.equal([]);
    const search = await json2Call(url, 'loyalty.card', 'search', adminKey, { domain: [['program_id', '=', 15]], limit: 3, order: 'id' });
    expect(JSON.parse(search.text)).to.deep.equal(await xml(2, 'admin', 'loyalty.card', 'search', [[['program_id', '=', 15]]], { limit: 3, order: 'id' }));
    const count = await json2Call(url, 'loyalty.card', 'search_count', adminKey, { domain: [] });
    expect(JSON.parse(count.text)).to.equal(77);
  });

  it('writes: create answers a list of ids, write and unlink True, all as the calling user', async () => {
    const created = await json2Call(url, 'res.partner', 'create', adminKey, { vals_list: { name: 'JSON-2 partner' } });
    expect(created.status).to.equal(200);
    const ids = JSON.parse(created.text);
    expect(ids).to.be.an('array').with.length(1);
    const two = JSON.parse((await json2Call(url, 'res.partner', 'create', adminKey, { vals_list: [{ name: 'A' }, { name: 'B' }] })).text);
    expect(two).to.have.length(2);
    expect(JSON.parse((await json2Call(url, 'res.partner', 'write', adminKey, { ids, vals: { name: 'JSON-2 renamed' } })).text)).to.equal(true);
    expect((await xml(2, 'admin', 'res.partner', 'read', [ids], { fields: ['name'] }))[0].name).to.equal('JSON-2 renamed');
    expect(JSON.parse((await json2Call(url, 'res.partner', 'unlink', adminKey, { ids: [...ids, ...two] })).text)).to.equal(true);
    expect(await xml(2, 'admin', 'res.partner', 'search', [[['id', 'in', [...ids, ...two]]]])).to.deep.equal([]);
  });

  it("refuses what the unprivileged user may not do with Odoo's AccessError (403), changing nothing", async () => {
    const before = await xml(2, 'admin', 'loyalty.program', 'read', [[15]], { fields: ['name'] });
    const res = await json2Call(url, 'loyalty.program', 'write', demoKey, { ids: [15], vals: { name: 'x' } });
    expect(res.status).to.equal(403);
    expect(res.json).to.include({ name: 'odoo.exceptions.AccessError' });
    expect(res.json!.message).to.match(/^You are not allowed to modify 'Loyalty Program' \(loyalty.program\) records/);
    expect(res.json!.arguments).to.deep.equal([res.json!.message]);
    expect(res.json!.context).to.deep.equal({});
    expect(await xml(2, 'admin', 'loyalty.program', 'read', [[15]], { fields: ['name'] })).to.deep.equal(before);
    // What demo may read answers as over XML-RPC with demo's password.
    const mine = await json2Call(url, 'res.partner', 'name_search', demoKey, { name: 'johnson', limit: 5 });
    expect(JSON.parse(mine.text)).to.deep.equal(await xml(6, 'demo', 'res.partner', 'name_search', [], { name: 'johnson', limit: 5 }));
  });

  it("answers Odoo 19's statuses for unknown models and methods, private methods and bodies that do not bind", async () => {
    const cases: Array<[string, string, unknown, number, string, string]> = [
      ['no.such.model', 'read', {}, 404, 'werkzeug.exceptions.NotFound', "the model 'no.such.model' does not exist"],
      ['loyalty.card', 'no_such_method', {}, 404, 'werkzeug.exceptions.NotFound', "The method 'loyalty.card.no_such_method' does not exist"],
      ['loyalty.card', '_read', {}, 403, 'odoo.exceptions.AccessError', "Private methods (such as 'loyalty.card._read') cannot be called remotely."],
      ['loyalty.card', 'search_read', { ids: [20] }, 422, 'werkzeug.exceptions.UnprocessableEntity', 'cannot call loyalty.card.search_read with ids'],
      ['loyalty.card', 'write', { ids: [20] }, 422, 'werkzeug.exceptions.UnprocessableEntity', "missing a required argument: 'vals'"],
      ['loyalty.card', 'read', { ids: [20], colour: 'red' }, 422, 'werkzeug.exceptions.UnprocessableEntity', "got an unexpected keyword argument 'colour'"],
    ];
    for (const [model, method, body, status, name, message] of cases) {
      const res = await json2Call(url, model, method, adminKey, body);
      expect([res.status, res.json?.name, res.json?.message], `${model}.${method}`).to.deep.equal([status, name, message]);
      if (name.startsWith('werkzeug')) expect(res.json!.arguments).to.deep.equal([message, status]);
    }
  });

  it('answers UserError 422 and MissingError 404', async () => {
    const user = await json2Call(url, 'pos.order', 'loyalty_preview', adminKey, { order: { partner_id: 64, lines: [{ product_id: 35, qty: -1, price_unit: 10 }] } });
    expect(user.status).to.equal(422);
    expect(user.json!.name).to.equal('odoo.exceptions.UserError');
    const missing = await json2Call(url, 'loyalty.card', 'write', adminKey, { ids: [987654], vals: { points: 1 } });
    expect([missing.status, missing.json!.name]).to.deep.equal([404, 'odoo.exceptions.MissingError']);
  });

  it('authenticates as Odoo 19 does: 401 with WWW-Authenticate for a wrong or missing key, web sessions only for browser navigation', async () => {
    const wrong = await json2Call(url, 'loyalty.card', 'search_count', 'not-a-key-0000000000', { domain: [] });
    expect([wrong.status, wrong.json!.name, wrong.json!.message]).to.deep.equal([401, 'werkzeug.exceptions.Unauthorized', 'Invalid apikey']);
    expect(wrong.headers.get('www-authenticate')).to.equal('Bearer');
    const none = await json2Call(url, 'loyalty.card', 'search_count', null, { domain: [] });
    expect([none.status, none.json!.message]).to.deep.equal([401, 'User not authenticated, use the "Authorization" header']);
    // The scheme is case-insensitive.
    const upper = await json2Call(url, 'loyalty.card', 'search_count', null, { domain: [] }, { authorization: `Bearer ${adminKey}` });
    expect(upper.text).to.equal('77');

    const login = await jsonCall(url, '/web/session/authenticate', { db, login: 'demo', password: 'demo' });
    const cookie = login.setCookie[0].split(';')[0];
    const noSec = await json2Call(url, 'loyalty.card', 'search_count', null, { domain: [] }, { cookie });
    expect([noSec.status, noSec.json!.name, noSec.json!.message]).to.deep.equal([403, 'odoo.exceptions.AccessDenied', 'Missing "Authorization" or Sec-headers for interactive usage']);
    const sec = { 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'same-origin', 'sec-fetch-user': '?1' };
    const browser = await rawPost(url, '/json/2/res.partner/search_count', '{"domain": []}', { cookie, ...sec });
    expect(browser.status).to.equal(200);
    expect(browser.text).to.equal(String(await xml(6, 'demo', 'res.partner', 'search_count', [[]])));
    const mismatch = await json2Call(url, 'res.partner', 'search_count', adminKey, { domain: [] }, { cookie });
    expect([mismatch.status, mismatch.json!.message]).to.deep.equal([403, 'Session user does not match the used apikey']);
    const both = await json2Call(url, 'res.partner', 'search_count', demoKey, { domain: [] }, { cookie, 'x-odoo-database': 'other' });
    expect([both.status, both.json!.message]).to.deep.equal([403, 'Cannot use both the session_id cookie and the x-odoo-database header.']);
  });

  it('serves no other database, and answers every other request under /json/2 with the 404 Odoo 19 gives', async () => {
    const other = await json2Call(url, 'loyalty.card', 'search_count', adminKey, { domain: [] }, { 'X-Odoo-Database': 'not_this_one' });
    expect([other.status, other.headers.get('content-type')]).to.deep.equal([404, 'text/html; charset=utf-8']);
    for (const [method, path] of [['GET', '/json/2/loyalty.card/search'], ['POST', '/json/2'], ['POST', '/json/2/loyalty.card'], ['POST', '/json/2/a/b/c'], ['DELETE', '/json/2/x']]) {
      const res = await jsonPost(url, path, '{}', { authorization: `bearer ${adminKey}` }, method);
      expect([res.status, res.json?.name, res.json?.message], `${method} ${path}`).to.deep.equal([404, 'werkzeug.exceptions.NotFound', 'Did you mean POST /json/2/<model>/<method>?']);
    }
  });

  it('refuses bodies it cannot read with a 400, and never shows SQL, stacks or paths', async () => {
    const bad = await jsonPost(url, '/json/2/loyalty.card/search_count', '{"domain": [', { authorization: `bearer ${adminKey}` });
    expect([bad.status, bad.json!.name]).to.deep.equal([400, 'werkzeug.exceptions.BadRequest']);
    expect(bad.json!.message).to.match(/^could not parse the body as json: Expecting value: line 1 column \d+ \(char \d+\)$/);
    const form = await jsonPost(url, '/json/2/loyalty.card/search_count', 'domain=x', { authorization: `bearer ${adminKey}`, 'content-type': 'application/x-www-form-urlencoded' });
    expect([form.status, form.json!.message]).to.deep.equal([400, "Request inferred type is compatible with ['http'] but '/json/2/<model>/<method>' is type='json2'."]);
    // A JSON body that is not an object carries no parameters.
    const list = await jsonPost(url, '/json/2/loyalty.card/search_count', '[1, 2]', { authorization: `bearer ${adminKey}` });
    expect([list.status, list.json!.message]).to.deep.equal([422, "missing a required argument: 'domain'"]);
    const sql = await json2Call(url, 'loyalty.card', 'search_read', adminKey, { domain: [['points', '>', 'abc']], fields: ['code'] });
    expect(sql.status).to.be.oneOf([422, 500]);
    expect(sql.text).not.to.match(/select |\/work\/|\/src\/|\.ts:\d+/i);
    const deep = await jsonPost(url, '/json/2/loyalty.card/search_count', '['.repeat(5000) + ']'.repeat(5000), { authorization: `bearer ${adminKey}` });
    expect(deep.status).to.equal(500);
    expect(deep.json!.name).to.equal('builtins.RecursionError');
  });
});

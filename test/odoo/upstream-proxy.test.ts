/**
 * The upstream proxy against a real Odoo 17 (ODOO_URL): calls for models the sidecar does not
 * carry or methods it does not implement reach Odoo over the client's own protocol, with the
 * client's own credentials, and Odoo's answers and faults come back unchanged; what the sidecar
 * serves never reaches Odoo; a user Odoo refuses stays refused.
 */
import { expect } from 'chai';
import { describeOdoo } from '../helpers/odoo';
import { OdooFront, startOdooFront, upstreamCalls } from '../helpers/odoo-front';
import { addApiKey } from '../helpers/apikeys';
import { json2Call, jsonCall, jsonPost } from '../rpc/helpers';
import { encodeMethodCall } from '../../src/rpc/xml/codec';
import { loadConfig } from '../../src/config';
import { startSidecar } from '../../src/server';
import { freePort } from '../helpers/process';
import { execFile } from 'node:child_process';
import path from 'node:path';

/** Runs one of examples/*.py with Debian's python3 and returns what it printed. */
function runExample(script: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/python3', [path.resolve(__dirname, '../../examples', script)], { env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      err ? reject(new Error(`${script}: ${err.message}\n${stderr}`)) : resolve(stdout));
  });
}

/** POSTs one XML-RPC call and returns Odoo's bytes as text. */
async function xmlText(url: string, params: unknown[], method = 'execute_kw', path = '/xmlrpc/2/object'): Promise<string> {
  const res = await fetch(url + path, { method: 'POST', body: encodeMethodCall(method, params), headers: { 'content-type': 'text/xml' } });
  return `${res.status} ${res.headers.get('content-type')}\n${await res.text()}`;
}

describeOdoo('upstream proxy: what the sidecar does not serve goes to Odoo 17', function () {
  let front: OdooFront;
  let db: string;
  const keys: Record<string, string> = {};

  before(async () => {
    front = await startOdooFront();
    db = front.database.name;
    for (const [login, uid] of [['admin', 2], ['portal', 7], ['cashier', 8]] as const) keys[login] = (await addApiKey(front.proxy.ctx.db.knex, uid)).key;
  });
  after(async () => front?.close());

  it('XML-RPC: a model the sidecar does not carry (account.move search_read) answers byte for byte as Odoo', async () => {
    const before = await upstreamCalls(front.proxy.url, 'account.move');
    const call = [db, 2, 'admin', 'account.move', 'search_read', [[['state', '=', 'posted']]], { fields: ['name', 'move_type', 'amount_total', 'partner_id'], limit: 5 }];
    const direct = await xmlText(front.odoo.url, call);
    expect(direct).to.include('<name>amount_total</name>');
    expect(await xmlText(front.proxy.url, call)).to.equal(direct);
    expect(await upstreamCalls(front.proxy.url, 'account.move')).to.equal(before + 1);
    // The legacy /xmlrpc/object path goes to the same path upstream.
    expect(await xmlText(front.proxy.url, call, 'execute_kw', '/xmlrpc/object')).to.equal(await xmlText(front.odoo.url, call, 'execute_kw', '/xmlrpc/object'));
  });

  it('XML-RPC: a method the sidecar does not implement (res.partner.address_get), and Odoo\'s fault unchanged', async () => {
    const call = [db, 2, 'admin', 'res.partner', 'address_get', [[3]], { adr_pref: ['invoice', 'delivery'] }];
    expect(await xmlText(front.proxy.url, call)).to.equal(await xmlText(front.odoo.url, call));
    // A posted entry cannot be posted again: Odoo's UserError, fault 2, exactly as Odoo wrote it.
    const fault = [db, 2, 'admin', 'account.move', 'action_post', [[59]]];
    const direct = await xmlText(front.odoo.url, fault);
    expect(direct).to.include('<int>2</int>').and.include('must be in draft');
    expect(await xmlText(front.proxy.url, fault)).to.equal(direct);
  });

  it('JSON-RPC: forwarded calls and faults answer as Odoo answers them', async () => {
    for (const args of [
      [db, 2, 'admin', 'account.move', 'search_read', [[]], { fields: ['name', 'amount_total'], limit: 3, order: 'id' }],
      [db, 2, 'admin', 'account.move', 'action_post', [[59]]],
      [db, 8, 'cashier', 'account.account', 'read', [[1]], { fields: ['name'] }],
    ]) {
      const params = { service: 'object', method: 'execute_kw', args };
      const [viaProxy, direct] = [await jsonCall(front.proxy.url, '/jsonrpc', params), await jsonCall(front.odoo.url, '/jsonrpc', params)];
      const strip = (body: Record<string, unknown> | undefined) => JSON.parse(JSON.stringify(body).replace(/"debug":\s*"(?:[^"\\]|\\.)*"/, '"debug": ""'));
      expect(viaProxy.status).to.equal(direct.status);
      expect(strip(viaProxy.json)).to.deep.equal(strip(direct.json));
    }
  });

  it("never widens credentials: Odoo's own AccessError for a user who may not read, AccessDenied for a wrong password", async () => {
    const portal = [db, 7, 'portal', 'account.account', 'search_read', [[]], { fields: ['name'], limit: 1 }];
    const direct = await xmlText(front.odoo.url, portal);
    expect(direct).to.include('<int>4</int>');
    expect(await xmlText(front.proxy.url, portal)).to.equal(direct);
    // The portal user's API key works in place of the password, and is refused the same way.
    expect(await xmlText(front.proxy.url, [db, 7, keys.portal, 'account.account', 'search_read', [[]], { fields: ['name'], limit: 1 }])).to.include('<int>4</int>');
    const json2 = await json2Call(front.proxy.url, 'account.account', 'search_read', keys.portal, { domain: [], fields: ['name'], limit: 1 });
    expect([json2.status, json2.json!.name]).to.deep.equal([403, 'odoo.exceptions.AccessError']);
    // A wrong password is refused before anything is forwarded.
    const before = await upstreamCalls(front.proxy.url, 'account.move');
    const wrong = await xmlText(front.proxy.url, [db, 2, 'wrong', 'account.move', 'search_read', [[]], { limit: 1 }]);
    expect(wrong).to.include('<int>3</int>');
    expect(await upstreamCalls(front.proxy.url, 'account.move')).to.equal(before);
  });

  it('web: the caller\'s own Odoo session serves forwarded call_kw, and ends with the sidecar\'s', async () => {
    const login = await jsonCall(front.proxy.url, '/web/session/authenticate', { db, login: 'cashier', password: 'cashier' });
    const cookie = login.setCookie[0].split(';')[0];
    const odooLogin = await jsonCall(front.odoo.url, '/web/session/authenticate', { db, login: 'cashier', password: 'cashier' });
    const odooCookie = odooLogin.setCookie.find((c) => c.startsWith('session_id='))!.split(';')[0];
    const params = { model: 'account.move', method: 'search_read', args: [[]], kwargs: { fields: ['name', 'amount_total'], limit: 3, order: 'id' } };
    const viaProxy = await jsonCall(front.proxy.url, '/web/dataset/call_kw/account.move/search_read', params, { cookie });
    const direct = await jsonCall(front.odoo.url, '/web/dataset/call_kw/account.move/search_read', params, { cookie: odooCookie });
    expect((viaProxy.json!.result as unknown[]).length).to.be.greaterThan(0);
    expect(viaProxy.json).to.deep.equal(direct.json);
    // What the sidecar serves stays here, on the sidecar's session.
    const before = await upstreamCalls(front.proxy.url, 'loyalty.card');
    const cards = await jsonCall(front.proxy.url, '/web/dataset/call_kw', { model: 'loyalty.card', method: 'search_count', args: [[]], kwargs: {} }, { cookie });
    expect(cards.json!.result).to.equal(77);
    expect(await upstreamCalls(front.proxy.url, 'loyalty.card')).to.equal(before);
    await jsonCall(front.proxy.url, '/web/session/destroy', {}, { cookie });
    const after = await jsonCall(front.proxy.url, '/web/dataset/call_kw/account.move/search_read', params, { cookie });
    expect((after.json!.error as { code: number }).code).to.equal(100);
  });

  it('JSON-2: a forwarded call runs on Odoo 17 as the key\'s user and answers JSON-2\'s shape', async () => {
    const body = { domain: [['state', '=', 'posted']], fields: ['name', 'amount_total'], limit: 4, order: 'id' };
    const res = await json2Call(front.proxy.url, 'account.move', 'search_read', keys.admin, body);
    expect(res.status).to.equal(200);
    expect(res.json ?? JSON.parse(res.text)).to.deep.equal(await front.odoo.call('account.move', 'search_read', [body.domain], { fields: body.fields, limit: 4, order: 'id' }));
    const post = await json2Call(front.proxy.url, 'account.move', 'action_post', keys.admin, { ids: [59] });
    expect([post.status, post.json!.name]).to.deep.equal([422, 'odoo.exceptions.UserError']);
    const method = await json2Call(front.proxy.url, 'res.partner', 'no_such_method', keys.admin, { ids: [3] });
    expect([method.status, method.json!.message]).to.deep.equal([404, "The method 'res.partner.no_such_method' does not exist"]);
  });

  it('never forwards what the sidecar serves, on any transport', async () => {
    const before = await upstreamCalls(front.proxy.url, 'loyalty.card');
    await xmlText(front.proxy.url, [db, 2, 'admin', 'loyalty.card', 'search_read', [[]], { fields: ['code'], limit: 2 }]);
    await jsonCall(front.proxy.url, '/jsonrpc', { service: 'object', method: 'execute_kw', args: [db, 2, 'admin', 'loyalty.card', 'read', [[20]], { fields: ['points'] }] });
    await json2Call(front.proxy.url, 'loyalty.card', 'search_count', keys.admin, { domain: [] });
    await json2Call(front.proxy.url, 'loyalty.card', '_private', keys.admin, {});
    expect(await upstreamCalls(front.proxy.url, 'loyalty.card')).to.equal(before);
  });

  it("the README's Python clients run against the sidecar alone: a JSON-2 client, and loyalty work beside forwarded accounting", async () => {
    const json2 = await runExample('json2_client.py', { SIDECAR_URL: front.proxy.url, ODOO_DB: db, API_KEY: keys.admin });
    expect(json2).to.match(/^Emma Johnson \[\('044c-e6eb-460a', 3646\.0, 'Retail Club'\)/m);
    expect(json2).to.include("refused: 404 werkzeug.exceptions.NotFound: the model 'no.such.model' does not exist");
    const before = await upstreamCalls(front.proxy.url, 'account.move');
    const oneFront = await runExample('one_front.py', { SIDECAR_URL: front.proxy.url, ODOO_DB: db, LOGIN: 'admin', PASSWORD: 'admin' });
    expect(oneFront).to.match(/^card .+\nmove .+\n/m).and.match(/^receivables \[\{'partner_id'/m).and.match(/^addresses \{'contact': \d+/m);
    expect(await upstreamCalls(front.proxy.url, 'account.move')).to.equal(before + 1);
  });

  it('without ODOO_URL the same calls answer as before (the sidecar\'s own ORM), and an unreachable upstream is a clean error', async () => {
    const call = [db, 2, 'admin', 'res.partner', 'address_get', [[3]], {}];
    expect(await xmlText(front.plain.url, call)).to.match(/AttributeError: The method (&#x27;|'|&apos;)res\.partner\.address_get(&#x27;|'|&apos;) does not exist/);
    const down = await startSidecar({ ...loadConfig({}), databaseUrl: front.database.url, odooDb: db, port: 0, host: '127.0.0.1', logLevel: 'silent', jobsEnabled: false, odooUrl: `http://127.0.0.1:${await freePort()}`, odooTimeoutMs: 2000 });
    try {
      const answer = await xmlText(down.url, call);
      expect(answer).to.match(/^200 /).and.include('ConnectionError: The upstream Odoo server did not answer.');
      expect(answer).not.to.match(/ECONNREFUSED|127\.0\.0\.1/);
      const json2 = await json2Call(down.url, 'account.move', 'search_count', keys.admin, { domain: [] });
      expect([json2.status, json2.json!.name]).to.deep.equal([500, 'builtins.ConnectionError']);
      const web = await jsonPost(down.url, '/jsonrpc', JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { service: 'object', method: 'execute_kw', args: call } }));
      expect((web.json!.error as { data: { name: string } }).data.name).to.equal('builtins.ConnectionError');
    } finally {
      await down.close();
    }
  });
});

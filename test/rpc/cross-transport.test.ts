/**
 * One dispatch, four transports: the same calls over XML-RPC (execute_kw), JSON-RPC
 * (/jsonrpc execute_kw), the web client's /web/dataset/call_kw and Odoo 19's JSON-2 answer the
 * same data, as admin and as an unprivileged user (demo), errors included.
 */
import { expect } from 'chai';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { addApiKey } from '../helpers/apikeys';
import { json2Call, jsonCall, xmlCall } from './helpers';

interface Call {
  model: string;
  method: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  /** The same call as JSON-2's named parameters. */
  json2: Record<string, unknown>;
}

const ADMIN_CALLS: Call[] = [
  { model: 'loyalty.card', method: 'search_read', args: [[['program_id', '=', 15]]], kwargs: { fields: ['code', 'points', 'partner_id', 'expiration_date'], order: 'id', limit: 6 },
    json2: { domain: [['program_id', '=', 15]], fields: ['code', 'points', 'partner_id', 'expiration_date'], order: 'id', limit: 6 } },
  { model: 'loyalty.card', method: 'read', args: [[20, 21]], kwargs: { fields: ['code', 'points', 'partner_id'] }, json2: { ids: [20, 21], fields: ['code', 'points', 'partner_id'] } },
  { model: 'res.partner', method: 'name_search', args: ['johnson'], kwargs: { limit: 5 }, json2: { name: 'johnson', limit: 5 } },
  { model: 'pos.order', method: 'read_group', args: [[['state', '=', 'paid']], ['amount_total:sum'], ['partner_id']], kwargs: { lazy: true },
    json2: { domain: [['state', '=', 'paid']], fields: ['amount_total:sum'], groupby: ['partner_id'], lazy: true } },
  { model: 'loyalty.reward', method: 'fields_get', args: [['discount_mode', 'reward_type']], kwargs: { attributes: ['selection', 'string', 'type'] },
    json2: { allfields: ['discount_mode', 'reward_type'], attributes: ['selection', 'string', 'type'] } },
  { model: 'loyalty.program', method: 'read', args: [[15]], kwargs: { fields: ['name', 'rule_ids'], context: { lang: 'fr_FR' } }, json2: { ids: [15], fields: ['name', 'rule_ids'], context: { lang: 'fr_FR' } } },
  { model: 'loyalty.card', method: 'search_count', args: [[['points', '>', 100]]], kwargs: {}, json2: { domain: [['points', '>', 100]] } },
  { model: 'pos.order', method: 'loyalty_preview', args: [{ partner_id: 64, lines: [{ product_id: 35, qty: 2, price_unit: 1500 }] }], kwargs: {},
    json2: { order: { partner_id: 64, lines: [{ product_id: 35, qty: 2, price_unit: 1500 }] } } },
];

const DEMO_CALLS: Call[] = [
  { model: 'res.partner', method: 'search_read', args: [[['customer_rank', '>=', 0]]], kwargs: { fields: ['name', 'email'], limit: 5, order: 'id' },
    json2: { domain: [['customer_rank', '>=', 0]], fields: ['name', 'email'], limit: 5, order: 'id' } },
  { model: 'loyalty.program', method: 'check_access_rights', args: ['write'], kwargs: { raise_exception: false }, json2: { operation: 'write', raise_exception: false } },
];

describe('one dispatch: XML-RPC, JSON-RPC, web call_kw and JSON-2 answer the same data', function () {
  let sidecar: TestSidecar;
  let db: string;
  const keys: Record<string, string> = {};
  const cookies: Record<string, string> = {};
  const users = { admin: { uid: 2, password: 'admin' }, demo: { uid: 6, password: 'demo' } };

  before(async () => {
    sidecar = await startTestSidecar('odoo17');
    db = sidecar.ctx.dbName;
    for (const [login, { uid, password }] of Object.entries(users)) {
      keys[login] = (await addApiKey(sidecar.ctx.db.knex, uid)).key;
      const session = await jsonCall(sidecar.url, '/web/session/authenticate', { db, login, password });
      cookies[login] = session.setCookie[0].split(';')[0];
    }
  });
  after(async () => sidecar?.close());

  /** The four answers of one call: a result, or the error's Python name and message. */
  async function answers(login: keyof typeof users, call: Call): Promise<Record<string, unknown>> {
    const { uid, password } = users[login];
    const params = [db, uid, password, call.model, call.method, call.args, call.kwargs];
    const xml = await xmlCall(sidecar.url, '/xmlrpc/2/object', 'execute_kw', params);
    const json = await jsonCall(sidecar.url, '/jsonrpc', { service: 'object', method: 'execute_kw', args: params });
    const web = await jsonCall(sidecar.url, `/web/dataset/call_kw/${call.model}/${call.method}`,
      { model: call.model, method: call.method, args: call.args, kwargs: call.kwargs }, { cookie: cookies[login] });
    const json2 = await json2Call(sidecar.url, call.model, call.method, keys[login], call.json2);
    const rpcOutcome = (body: Record<string, unknown> | undefined) => {
      const error = body?.error as { data: { name: string; message: string } } | undefined;
      return error ? { error: [error.data.name, error.data.message] } : { result: body?.result };
    };
    return {
      xmlrpc: 'fault' in xml ? { fault: xml.fault.code } : { result: JSON.parse(JSON.stringify(xml.result)) },
      jsonrpc: rpcOutcome(json.json),
      web: rpcOutcome(web.json),
      json2: json2.status === 200 ? { result: JSON.parse(json2.text) } : { error: [json2.json!.name, json2.json!.message], status: json2.status },
    };
  }

  for (const [login, calls] of [['admin', ADMIN_CALLS], ['demo', DEMO_CALLS]] as const) {
    for (const call of calls) {
      it(`${login}: ${call.model}.${call.method}`, async () => {
        const got = await answers(login, call);
        expect(got.xmlrpc).to.have.property('result');
        for (const transport of ['jsonrpc', 'web', 'json2']) expect(got[transport], transport).to.deep.equal(got.xmlrpc);
      });
    }
  }

  it("demo: a refused write is the same AccessError on every transport (JSON-2's status 403)", async () => {
    const got = await answers('demo', { model: 'loyalty.program', method: 'write', args: [[15], { name: 'x' }], kwargs: {}, json2: { ids: [15], vals: { name: 'x' } } });
    expect(got.xmlrpc).to.deep.equal({ fault: 4 });
    const [name, message] = (got.jsonrpc as { error: [string, string] }).error;
    expect(name).to.equal('odoo.exceptions.AccessError');
    expect(got.web).to.deep.equal(got.jsonrpc);
    expect(got.json2).to.deep.equal({ error: [name, message], status: 403 });
  });
});

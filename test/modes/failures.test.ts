/**
 * No request, hook or job takes the process down, and no answer shows SQL, a stack or a file
 * path: the real `npm start` process on a copy of the recorded Odoo 17 database, whose
 * loyalty_card.points column is renamed under it (a failing query, caused for real: every
 * statement that reads a card's points fails in PostgreSQL). Each transport must answer in its
 * own error shape with the request id, the log must hold the details under that id, and once
 * the column is back everything answers again from the same process.
 */
import { expect } from 'chai';
import { Client } from 'pg';
import xmlrpc from 'xmlrpc';
import { signHook } from '../../src/api/hook-signature';
import { freshDatabase, serverReachable, TestDatabase } from '../helpers/pg';
import { freePort, runScript, SidecarProcess, spawnSidecar } from '../helpers/process';
import { basicAuth } from '../helpers/ledger';
import { uiOrder } from './mission';

const HOOK_SECRET = 'failures-test-hook-secret';
/** What an answer must never show: SQL, the table behind it, stack frames, source paths. */
const LEAKS = /\bselect\b|\bfrom\b|\bwhere\b|points_broken|loyalty_card|\n\s+at |node_modules|\/src\/|\.ts\b|\/work\//i;

interface Answer {
  status: number;
  requestId: string | null;
  text: string;
}

describe('modes: a failing query on every transport (the real process keeps serving)', function () {
  this.timeout(300_000);
  let database: TestDatabase;
  let server: SidecarProcess;
  let sql: Client;
  let url: string;
  let paidOrder: number;

  const post = async (path: string, body: string, headers: Record<string, string>): Promise<Answer> => {
    const res = await fetch(url + path, { method: 'POST', body, headers });
    return { status: res.status, requestId: res.headers.get('x-request-id'), text: await res.text() };
  };
  const xml = (path: string, method: string, params: unknown[], id: string) =>
    new Promise<{ value?: unknown; fault?: { faultCode: number | string; faultString: string } }>((resolve, reject) => {
      const u = new URL(url);
      const client = xmlrpc.createClient({ host: u.hostname, port: Number(u.port), path, headers: { 'X-Request-Id': id } });
      client.methodCall(method, params, (err: unknown, value: unknown) => {
        if (!err) return resolve({ value });
        const f = err as { faultCode?: number | string; faultString?: string };
        if (f.faultCode !== undefined) return resolve({ fault: f as { faultCode: number | string; faultString: string } });
        reject(err);
      });
    });
  const readCard = ['sidecar', 2, 'admin', 'loyalty.card', 'read', [[17]], { fields: ['points'] }];
  const calls: Record<string, (id: string) => Promise<Answer>> = {
    'XML-RPC': async (id) => {
      const out = await xml('/xmlrpc/2/object', 'execute_kw', readCard, id);
      return { status: 200, requestId: id, text: JSON.stringify(out) };
    },
    'legacy XML-RPC': async (id) => {
      const out = await xml('/xmlrpc/object', 'execute_kw', readCard, id);
      return { status: 200, requestId: id, text: JSON.stringify(out) };
    },
    'JSON-RPC': (id) =>
      post('/jsonrpc', JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { service: 'object', method: 'execute_kw', args: readCard } }), {
        'content-type': 'application/json', 'x-request-id': id,
      }),
    'web call_kw': async (id) => {
      const login = await fetch(url + '/web/session/authenticate', {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { db: 'sidecar', login: 'admin', password: 'admin' } }),
      });
      const cookie = login.headers.getSetCookie()[0].split(';')[0];
      return post('/web/dataset/call_kw', JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { model: 'loyalty.card', method: 'read', args: [[17], ['points']], kwargs: {} } }), {
        'content-type': 'application/json', cookie, 'x-request-id': id,
      });
    },
    REST: async (id) => {
      const res = await fetch(url + '/api/v1/cards/17/balance', { headers: { authorization: basicAuth('admin', 'admin'), 'x-request-id': id } });
      return { status: res.status, requestId: res.headers.get('x-request-id'), text: await res.text() };
    },
    'REST write': (id) =>
      post('/api/v1/points/earn', JSON.stringify({ card_id: 17, points: 5, reason: 'failure test' }), {
        authorization: basicAuth('admin', 'admin'), 'content-type': 'application/json', 'x-request-id': id,
      }),
    hook: (id) => {
      const body = JSON.stringify({ id: paidOrder });
      const ts = Math.floor(Date.now() / 1000);
      return post('/hooks/pos-order', body, { 'content-type': 'application/json', 'x-sidecar-timestamp': String(ts), 'x-sidecar-signature': signHook(HOOK_SECRET, ts, body), 'x-request-id': id });
    },
  };

  before(async function () {
    if (!(await serverReachable())) this.skip();
    database = await freshDatabase('odoo17');
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = await spawnSidecar({ DATABASE_URL: database.url, ODOO_DB: 'sidecar', JOBS: 'off', LOG_LEVEL: 'info', HOOK_SECRET }, port);
    sql = new Client({ connectionString: database.url });
    await sql.connect();
    // A paid order no one has processed yet, for the hook.
    const created = await xml('/xmlrpc/2/object', 'execute_kw', ['sidecar', 2, 'admin', 'pos.order', 'create_from_ui', [[uiOrder('failures-1')], false]], 'setup');
    paidOrder = (created.value as Array<{ id: number }>)[0].id;
    await sql.query('alter table loyalty_card rename column points to points_broken');
  });
  after(async () => {
    await sql?.end();
    await server?.stop();
    await database?.drop();
  });

  for (const [transport, call] of Object.entries(calls)) {
    it(`${transport}: answers in its own error shape with the request id, nothing leaked, the details in the log under that id`, async () => {
      const id = `failure-${transport.replace(/\W+/g, '-')}-${Date.now()}`;
      const answer = await call(id);
      expect(answer.requestId).to.equal(id);
      expect(answer.text).to.contain(`request id ${id}`);
      expect(answer.text).to.contain('database error 42703');
      expect(answer.text).to.not.match(LEAKS);
      if (transport === 'XML-RPC') expect(JSON.parse(answer.text).fault.faultCode).to.equal(1);
      if (transport === 'legacy XML-RPC') expect(JSON.parse(answer.text).fault.faultString).to.match(/^Traceback/);
      if (transport === 'JSON-RPC' || transport === 'web call_kw') {
        expect(answer.status).to.equal(200);
        expect(JSON.parse(answer.text).error).to.deep.include({ code: 200, message: 'Odoo Server Error' });
        expect(JSON.parse(answer.text).error.data.name).to.equal('psycopg2.errors.DatabaseError');
      }
      if (transport.startsWith('REST') || transport === 'hook') {
        expect(answer.status).to.equal(500);
        expect(JSON.parse(answer.text).error.code).to.equal('internal_error');
      }
      // The log holds what the answer does not: PostgreSQL's message and the stack, under the id
      // (the request's summary line is written once the answer has gone: wait for it).
      const logged = () => server.stderr().split('\n').filter((l) => l.includes(`"req_id":"${id}"`)).map((l) => JSON.parse(l));
      for (let i = 0; i < 100 && !logged().some((l) => l.msg === 'request'); i++) await new Promise((r) => setTimeout(r, 20));
      const lines = logged();
      const failure = lines.find((l) => l.msg === 'unexpected error');
      expect(failure, server.stderr().slice(-2000)).to.not.equal(undefined);
      expect(failure.error).to.contain('points');
      expect(failure.stack).to.be.a('string');
      expect(lines.find((l) => l.msg === 'request')).to.deep.include({ req_id: id });
      expect(server.child.exitCode).to.equal(null);
    });
  }

  it('a job that fails is logged and exits 1 (`npm run job`), the server keeps serving', async () => {
    const run = await runScript('src/cli/job.ts', ['points-sweep'], { DATABASE_URL: database.url });
    expect(run.code).to.equal(1);
    expect(run.stderr).to.match(/"msg":"unexpected error"/);
    expect(run.stderr).to.match(/job failed: database error 42703 \(see the sidecar's log, request id job:points-sweep:[0-9a-f-]+\)/);
    expect(server.child.exitCode).to.equal(null);
  });

  it('answers every transport again once the column is back, from the same process', async () => {
    await sql.query('alter table loyalty_card rename column points_broken to points');
    for (const [transport, call] of Object.entries(calls)) {
      const answer = await call(`after-${Date.now()}`);
      expect(answer.text, transport).to.not.contain('database error');
      expect(answer.status, transport).to.be.oneOf([200, 201]);
    }
    expect(server.child.exitCode).to.equal(null);
  });
});

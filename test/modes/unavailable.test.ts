/**
 * Every pooled connection busy (a burst beyond DB_POOL_MAX, a slow statement holding them):
 * a request waits DB_ACQUIRE_TIMEOUT_MS, then hears "try again" in its own transport's shape
 * (REST and JSON-2: 503 with Retry-After; XML-RPC: psycopg2's OperationalError, as Odoo answers
 * when its pool is full), never a 500 or a hang, and answers normally once a connection frees.
 * The pool is exhausted for real: the test takes its connections out of the sidecar's pool.
 */
import { expect } from 'chai';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { serverReachable } from '../helpers/pg';
import { basicAuth } from '../helpers/ledger';
import { addApiKey } from '../helpers/apikeys';
import { json2Call, xmlCall } from '../rpc/helpers';

const LEAKS = /\bselect\b|\bfrom\b|knex|pool|\n\s+at |node_modules|\/src\/|\.ts\b/i;

describe('modes: no free database connection', function () {
  this.timeout(120_000);
  let sidecar: TestSidecar;
  let key: string;
  let held: unknown[] = [];

  before(async function () {
    if (!(await serverReachable())) this.skip();
    sidecar = await startTestSidecar('odoo17', { dbPoolMax: 2, dbAcquireTimeoutMs: 300 });
    key = (await addApiKey(sidecar.ctx.db.knex, 2)).key;
  });
  after(async () => {
    await release();
    await sidecar?.close();
  });
  const client = () => sidecar.ctx.db.knex.client as { acquireConnection(): Promise<unknown>; releaseConnection(c: unknown): Promise<unknown> };
  const exhaust = async () => {
    for (let i = 0; i < 2; i++) held.push(await client().acquireConnection());
  };
  const release = async () => {
    for (const c of held.splice(0)) await client().releaseConnection(c);
  };
  const balance = () => fetch(sidecar.url + '/api/v1/cards/17/balance', { headers: { authorization: basicAuth('admin', 'admin') } });

  it('REST: 503 database_unavailable with Retry-After, after the acquire timeout, nothing leaked', async () => {
    await exhaust();
    const started = Date.now();
    const res = await balance();
    const body = await res.text();
    expect(res.status, body).to.equal(503);
    expect(res.headers.get('retry-after')).to.equal('1');
    expect(JSON.parse(body).error.code).to.equal('database_unavailable');
    expect(body).to.not.match(LEAKS);
    expect(Date.now() - started).to.be.at.least(250);
    await release();
    expect((await balance()).status).to.equal(200);
  });

  it("JSON-2: 503 with Retry-After and psycopg2's OperationalError", async () => {
    await exhaust();
    const res = await json2Call(sidecar.url, 'loyalty.card', 'search_count', key, { domain: [] }, { 'X-Odoo-Database': sidecar.ctx.dbName });
    expect(res.status, res.text).to.equal(503);
    expect(res.headers.get('retry-after')).to.equal('1');
    expect(res.json?.name).to.equal('psycopg2.OperationalError');
    expect(res.text).to.not.match(LEAKS);
    await release();
    const ok = await json2Call(sidecar.url, 'loyalty.card', 'search_count', key, { domain: [] }, { 'X-Odoo-Database': sidecar.ctx.dbName });
    expect(ok.status).to.equal(200);
  });

  it('XML-RPC: a fault naming OperationalError and "try again"; then the same call answers', async () => {
    const call = () => xmlCall(sidecar.url, '/xmlrpc/2/object', 'execute_kw', [sidecar.ctx.dbName, 2, 'admin', 'loyalty.card', 'search_count', [[]]]);
    await exhaust();
    const answer = await call();
    expect(answer).to.have.property('fault');
    const fault = (answer as { fault: { string: string } }).fault.string;
    expect(fault).to.match(/^psycopg2\.OperationalError: the database is unavailable, try again shortly/);
    expect(fault).to.not.match(LEAKS);
    await release();
    expect(await call()).to.have.property('result').that.is.a('number');
  });
});

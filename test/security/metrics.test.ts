import { expect } from 'chai';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { basicAuth, cheapPassword } from '../helpers/ledger';

/** The series of one metric in an exposition text. */
const series = (text: string, name: string) => text.split('\n').filter((l) => l.startsWith(name + '{'));

describe('security: metrics (prom-client, bounded labels, restricted /metrics)', () => {
  let open: TestSidecar;
  let locked: TestSidecar;
  const TOKEN = 'metrics-token-0123456789abcdef';

  before(async () => {
    open = await startTestSidecar('odoo17');
    await cheapPassword(open.ctx.db.knex, 'admin', 'metrics-test');
    locked = await startTestSidecar('odoo17', { metricsToken: TOKEN, metricsAllow: ['10.0.0.0/8'], trustedProxies: ['127.0.0.1'] });
  });
  after(async () => {
    await open?.close();
    await locked?.close();
  });

  it('labels requests with route templates, folds every unknown path into one series, and renders quickly', async function () {
    this.timeout(120_000);
    const auth = basicAuth('admin', 'metrics-test');
    await fetch(`${open.url}/api/v1/cards/17/balance`, { headers: { authorization: auth } });
    await fetch(`${open.url}/api/v1/cards/99999/balance`, { headers: { authorization: auth } });
    await fetch(`${open.url}/xmlrpc/2/common`, { method: 'POST', body: '<?xml version="1.0"?><methodCall><methodName>version</methodName><params/></methodCall>' });
    const before = series(await (await fetch(`${open.url}/metrics`)).text(), 'sidecar_http_requests_total').length;
    // A scanner: thousands of distinct paths, methods and RPC segments, without logging in.
    for (let i = 0; i < 3000; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, k) => {
        const n = i + k;
        if (n % 3 === 0) return fetch(`${open.url}/scan/${n}/x?q=${n}`);
        if (n % 3 === 1) return fetch(`${open.url}/xmlrpc/2/svc${n}`, { method: 'POST', body: '<methodCall/>' });
        return fetch(`${open.url}/api/v1/nothing-${n}`, { headers: { authorization: auth } });
      }));
    }
    const started = Date.now();
    const text = await (await fetch(`${open.url}/metrics`)).text();
    const ms = Date.now() - started;
    const lines = series(text, 'sidecar_http_requests_total');
    // The scan adds at most a handful of series (unmatched and the RPC segment template, per status).
    expect(lines.length - before).to.be.at.most(6);
    expect(lines.some((l) => l.includes('route="/api/v1/cards/:id/balance",status="200"'))).to.equal(true);
    expect(lines.some((l) => l.includes('route="/api/v1/cards/:id/balance",status="404"'))).to.equal(true);
    expect(lines.some((l) => l.includes('route="/xmlrpc/2/common"'))).to.equal(true);
    expect(lines.some((l) => l.includes('route="/xmlrpc/2/:segment"'))).to.equal(true);
    expect(lines.some((l) => /scan|nothing-|svc\d/.test(l)), 'a raw path in a label').to.equal(false);
    expect(text).to.include('# TYPE sidecar_http_request_duration_seconds histogram');
    expect(ms).to.be.below(500);
  });

  it('with METRICS_TOKEN and METRICS_ALLOW, /metrics asks for both; a trusted proxy names the client', async () => {
    const get = (headers: Record<string, string>) => fetch(`${locked.url}/metrics`, { headers });
    // The test talks from 127.0.0.1, which is not in 10.0.0.0/8 ...
    expect((await get({ authorization: `Bearer ${TOKEN}` })).status).to.equal(403);
    // ... but 127.0.0.1 is a trusted proxy: the address it forwards for is the client.
    const viaProxy = { 'x-forwarded-for': '10.1.2.3' };
    const noToken = await get(viaProxy);
    expect(noToken.status).to.equal(401);
    expect(noToken.headers.get('www-authenticate')).to.match(/^Bearer/);
    expect((await get({ ...viaProxy, authorization: 'Bearer wrong-token-wrong-token' })).status).to.equal(401);
    const ok = await get({ ...viaProxy, authorization: `Bearer ${TOKEN}` });
    expect(ok.status).to.equal(200);
    expect(await ok.text()).to.include('sidecar_http_requests_total');
    // A client cannot forge its way in: what it writes sits left of what the proxy appended.
    expect((await get({ 'x-forwarded-for': '10.1.2.3, 192.168.7.7', authorization: `Bearer ${TOKEN}` })).status).to.equal(403);
  });
});

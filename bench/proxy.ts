/**
 * bench/proxy: the upstream proxy's added latency, and JSON-2 beside XML-RPC.
 *
 *   npm run bench -- proxy [--requests N] [--rounds R] [--concurrency 1,16]
 *
 * Starts a real Odoo 17 (../shared/odoo17-server) on a fresh copy of the dump, and the sidecar
 * as its own process attached to the same database with ODOO_URL pointing at it. Then:
 *
 * 1. Added latency, one client at a time, R alternating rounds of N calls each:
 *    - an XML-RPC execute_kw the sidecar forwards (res.partner.address_get) sent to Odoo
 *      directly, then through the sidecar: p50/p99 of both and their difference;
 *    - the same against an instant upstream (a node:http server answering a fixed XML-RPC
 *      body), called directly and through a second sidecar: the proxy's own cost with Odoo's
 *      time and noise taken out. Goal: under 1 ms p50, 3 ms p99.
 * 2. Throughput of loyalty.card search_read (by partner) over JSON-2 (bearer key) and over
 *    XML-RPC (execute_kw) on the same sidecar, at each concurrency: req/s, p50, p99.
 */
import { Agent, createServer, request } from 'node:http';
import { AddressInfo } from 'node:net';
import knexLib from 'knex';
import { freshOdooDatabase, odooUnavailable, startOdoo } from '../test/helpers/odoo';
import { freePort, spawnSidecar } from '../test/helpers/process';
import { addApiKey } from '../test/helpers/apikeys';
import { encodeMethodCall, encodeMethodResponse } from '../src/rpc/xml/codec';
import { Figures, formatLine, load, post } from './lib/load';
import { numberArg, stringArg } from './lib/args';

const REQUESTS = numberArg('requests', 1000);
const ROUNDS = numberArg('rounds', 5);
const LEVELS = stringArg('concurrency', '1,16').split(',').map(Number);

/** A POST with extra headers (post() sets only the content type). */
function postWith(agent: Agent, url: string, path: string, body: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, path, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString()) : reject(new Error(`HTTP ${res.statusCode}: ${Buffer.concat(chunks)}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Alternating rounds of `a` and `b` (one client): the medians of each round's p50 and p99. */
async function alternate(a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[Figures, Figures]> {
  const runs: [Figures[], Figures[]] = [[], []];
  for (let r = 0; r < ROUNDS; r++) {
    runs[0].push(await load(REQUESTS, 1, a));
    runs[1].push(await load(REQUESTS, 1, b));
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const summary = (fs: Figures[]): Figures => ({ rps: median(fs.map((f) => f.rps)), p50: median(fs.map((f) => f.p50)), p99: median(fs.map((f) => f.p99)) });
  return [summary(runs[0]), summary(runs[1])];
}

const added = (label: string, direct: Figures, proxied: Figures) =>
  `${label.padEnd(44)} added p50 ${(proxied.p50 - direct.p50).toFixed(2).padStart(6)} ms   added p99 ${(proxied.p99 - direct.p99).toFixed(2).padStart(6)} ms`;

async function main(): Promise<void> {
  const reason = odooUnavailable();
  if (reason) throw new Error(`bench proxy needs a real Odoo 17: ${reason}`);
  const database = await freshOdooDatabase();
  const odoo = await startOdoo(database.name);
  const instant = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/xml' }).end(encodeMethodResponse({ contact: 3, invoice: 3 })));
  });
  await new Promise<void>((resolve) => instant.listen(0, '127.0.0.1', resolve));
  const instantUrl = `http://127.0.0.1:${(instant.address() as AddressInfo).port}`;
  const env = { DATABASE_URL: database.url, ODOO_DB: database.name, HOST: '127.0.0.1', JOBS: 'off', LOG_LEVEL: 'warn' };
  const [port, port2] = [await freePort(), await freePort()];
  const sidecar = await spawnSidecar({ ...env, ODOO_URL: odoo.url }, port);
  const sidecarInstant = await spawnSidecar({ ...env, ODOO_URL: instantUrl }, port2);
  const url = `http://127.0.0.1:${port}`;
  const urlInstant = `http://127.0.0.1:${port2}`;
  const knex = knexLib({ client: 'pg', connection: database.url });
  try {
    const { key } = await addApiKey(knex, 2);
    const agent = new Agent({ keepAlive: true, maxSockets: Math.max(...LEVELS) });
    const forwarded = encodeMethodCall('execute_kw', [database.name, 2, 'admin', 'res.partner', 'address_get', [[3]], { adr_pref: ['invoice'] }]);
    const check = await post(agent, url, '/xmlrpc/2/object', forwarded, 'text/xml');
    if (check !== (await post(agent, odoo.url, '/xmlrpc/2/object', forwarded, 'text/xml'))) throw new Error('the forwarded answer differs from Odoo\'s');
    console.log(`bench proxy: ${ROUNDS} alternating rounds of ${REQUESTS} calls (medians), Odoo pid ${odoo.pid}, sidecar pid ${sidecar.child.pid}`);
    const [odooDirect, odooProxied] = await alternate(
      () => post(agent, odoo.url, '/xmlrpc/2/object', forwarded, 'text/xml'),
      () => post(agent, url, '/xmlrpc/2/object', forwarded, 'text/xml'));
    console.log(formatLine('Odoo directly: address_get (XML-RPC)', 1, odooDirect));
    console.log(formatLine('through the sidecar (forwarded)', 1, odooProxied));
    console.log(added('proxy over a real Odoo 17', odooDirect, odooProxied));
    const [instantDirect, instantProxied] = await alternate(
      () => post(agent, instantUrl, '/xmlrpc/2/object', forwarded, 'text/xml'),
      () => post(agent, urlInstant, '/xmlrpc/2/object', forwarded, 'text/xml'));
    console.log(formatLine('instant upstream directly', 1, instantDirect));
    console.log(formatLine('through the sidecar (forwarded)', 1, instantProxied));
    console.log(added('proxy over an instant upstream', instantDirect, instantProxied));

    const xmlSearch = encodeMethodCall('execute_kw', [database.name, 2, 'admin', 'loyalty.card', 'search_read', [[['partner_id', '=', 63]]], { fields: ['code', 'program_id', 'points'] }]);
    const json2Search = JSON.stringify({ domain: [['partner_id', '=', 63]], fields: ['code', 'program_id', 'points'] });
    const headers = { 'content-type': 'application/json', authorization: `bearer ${key}` };
    const rows = JSON.parse(await postWith(agent, url, '/json/2/loyalty.card/search_read', json2Search, headers));
    if (!Array.isArray(rows) || !rows.length) throw new Error('JSON-2 search_read answered ' + JSON.stringify(rows));
    console.log(`loyalty.card search_read: ${rows.length} rows per call, ${REQUESTS * 2} calls per line`);
    for (const c of LEVELS) {
      console.log(formatLine('xmlrpc execute_kw search_read loyalty.card', c, await load(REQUESTS * 2, c, () => post(agent, url, '/xmlrpc/2/object', xmlSearch, 'text/xml'))));
      console.log(formatLine('json2 search_read loyalty.card', c, await load(REQUESTS * 2, c, () => postWith(agent, url, '/json/2/loyalty.card/search_read', json2Search, headers))));
    }
    agent.destroy();
  } finally {
    await knex.destroy();
    await sidecar.stop();
    await sidecarInstant.stop();
    instant.close();
    await odoo.stop();
    await database.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

/**
 * bench/rpc: the RPC transports under load.
 *
 *   npm run bench -- rpc [--requests N] [--concurrency 1,16,64]
 *
 * Starts the sidecar as its own process on a fresh copy of the Odoo 17 dump (or on
 * BENCH_DATABASE_URL), then, at each concurrency (one keep-alive connection per worker):
 *   - common.version() over XML-RPC and JSON-RPC (transport cost alone);
 *   - an authenticated execute_kw search_read of loyalty.card by partner over XML-RPC and
 *     JSON-RPC (credential check + ORM + marshalling);
 *   - the floor: the same rows read by one SQL query through a pg pool of the same size.
 * Prints req/s, p50 and p99 per line. Bounded: N requests per line (default 2000).
 */
import { spawn, ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { AddressInfo, createServer } from 'node:net';
import path from 'node:path';
import { Pool } from 'pg';
import { freshDatabase, TestDatabase } from '../test/helpers/pg';
import { encodeMethodCall } from '../src/rpc/xml/codec';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const REQUESTS = Number(arg('requests', '2000'));
const LEVELS = arg('concurrency', '1,16,64').split(',').map(Number);

const DOMAIN = [['partner_id', '=', 63]];
const FIELDS = ['code', 'program_id', 'points'];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function startService(databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(path.join(__dirname, '../node_modules/.bin/tsx'), [path.join(__dirname, '../src/main.ts')], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', JOBS: 'off', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url + '/healthz')).ok) return { url, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('the sidecar did not start');
}

function post(agent: Agent, url: string, path: string, body: string, type: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const u = new URL(url + path);
    const req = request({ host: u.hostname, port: u.port, path, method: 'POST', agent, headers: { 'content-type': type, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString()) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
}

/** Runs `op` REQUESTS times with `concurrency` workers; latencies in ms. */
async function load(concurrency: number, op: () => Promise<unknown>): Promise<Figures> {
  const latencies: number[] = [];
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < REQUESTS) {
        const t = process.hrtime.bigint();
        await op();
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
  return { rps: latencies.length / seconds, p50: pct(0.5), p99: pct(0.99) };
}

const line = (label: string, c: number, f: Figures) =>
  console.log(`${label.padEnd(34)} c=${String(c).padEnd(3)} ${f.rps.toFixed(0).padStart(7)} req/s   p50 ${f.p50.toFixed(2).padStart(7)} ms   p99 ${f.p99.toFixed(2).padStart(7)} ms`);

async function main(): Promise<void> {
  let database: TestDatabase | undefined;
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? (database = await freshDatabase('odoo17')).url;
  const dbName = new URL(databaseUrl).pathname.slice(1);
  const { url, child } = await startService(databaseUrl);
  const pool = new Pool({ connectionString: databaseUrl, max: Math.max(...LEVELS) });
  try {
    const xmlVersion = encodeMethodCall('version', []);
    const jsonVersion = JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service: 'common', method: 'version', args: [] }, id: 1 });
    const kwArgs = [dbName, 2, 'admin', 'loyalty.card', 'search_read', [DOMAIN], { fields: FIELDS }];
    const xmlSearch = encodeMethodCall('execute_kw', kwArgs);
    const jsonSearch = JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service: 'object', method: 'execute_kw', args: kwArgs }, id: 1 });
    // Warm up: the first authenticated call pays pbkdf2 once; the answer must be the cards.
    const warm = JSON.parse(await post(new Agent(), url, '/jsonrpc', jsonSearch, 'application/json'));
    if (!Array.isArray(warm.result)) throw new Error('search_read failed: ' + JSON.stringify(warm.error?.data?.message ?? warm));
    console.log(`bench rpc: ${REQUESTS} requests per line, sidecar pid ${child.pid}, ${warm.result.length} rows per search_read`);
    for (const c of LEVELS) {
      const agent = new Agent({ keepAlive: true, maxSockets: c });
      line('xmlrpc common.version', c, await load(c, () => post(agent, url, '/xmlrpc/2/common', xmlVersion, 'text/xml')));
      line('jsonrpc common.version', c, await load(c, () => post(agent, url, '/jsonrpc', jsonVersion, 'application/json')));
      line('xmlrpc search_read loyalty.card', c, await load(c, () => post(agent, url, '/xmlrpc/2/object', xmlSearch, 'text/xml')));
      line('jsonrpc search_read loyalty.card', c, await load(c, () => post(agent, url, '/jsonrpc', jsonSearch, 'application/json')));
      line('floor: pg query of the same rows', c, await load(c, () =>
        pool.query(
          `select c.id, c.code, c.program_id, p.name as program_name, c.points from loyalty_card c
             join loyalty_program p on p.id = c.program_id where c.partner_id = $1 order by c.id`,
          [63],
        )));
      agent.destroy();
    }
  } finally {
    await pool.end();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await database?.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

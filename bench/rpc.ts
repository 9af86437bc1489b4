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
import { Agent } from 'node:http';
import { Pool } from 'pg';
import { freshDatabase, TestDatabase } from '../test/helpers/pg';
import { freePort, spawnSidecar } from '../test/helpers/process';
import { encodeMethodCall } from '../src/rpc/xml/codec';
import { formatLine, load, post } from './lib/load';
import { numberArg, stringArg } from './lib/args';

const REQUESTS = numberArg('requests', 2000);
const LEVELS = stringArg('concurrency', '1,16,64').split(',').map(Number);

const DOMAIN = [['partner_id', '=', 63]];
const FIELDS = ['code', 'program_id', 'points'];

async function main(): Promise<void> {
  let database: TestDatabase | undefined;
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? (database = await freshDatabase('odoo17')).url;
  const dbName = new URL(databaseUrl).pathname.slice(1);
  const port = await freePort();
  const sidecar = await spawnSidecar({ DATABASE_URL: databaseUrl, HOST: '127.0.0.1', JOBS: 'off', LOG_LEVEL: 'warn' }, port);
  const url = `http://127.0.0.1:${port}`;
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
    console.log(`bench rpc: ${REQUESTS} requests per line, sidecar pid ${sidecar.child.pid}, ${warm.result.length} rows per search_read`);
    for (const c of LEVELS) {
      const agent = new Agent({ keepAlive: true, maxSockets: c });
      console.log(formatLine('xmlrpc common.version', c, await load(REQUESTS, c, () => post(agent, url, '/xmlrpc/2/common', xmlVersion, 'text/xml'))));
      console.log(formatLine('jsonrpc common.version', c, await load(REQUESTS, c, () => post(agent, url, '/jsonrpc', jsonVersion, 'application/json'))));
      console.log(formatLine('xmlrpc search_read loyalty.card', c, await load(REQUESTS, c, () => post(agent, url, '/xmlrpc/2/object', xmlSearch, 'text/xml'))));
      console.log(formatLine('jsonrpc search_read loyalty.card', c, await load(REQUESTS, c, () => post(agent, url, '/jsonrpc', jsonSearch, 'application/json'))));
      console.log(formatLine('floor: pg query of the same rows', c, await load(REQUESTS, c, () =>
        pool.query(
          `select c.id, c.code, c.program_id, p.name as program_name, c.points from loyalty_card c
             join loyalty_program p on p.id = c.program_id where c.partner_id = $1 order by c.id`,
          [63],
        ))));
      agent.destroy();
    }
  } finally {
    await pool.end();
    await sidecar.stop();
    await database?.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

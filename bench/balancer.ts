/**
 * `npm run bench -- balancer [--requests N] [--rounds R] [--concurrency C]`
 *
 * What HAProxy (deploy/haproxy.cfg) adds to a card search_read: one sidecar (the real
 * `npm start`) on a copy of the Odoo 17 dump, and HAProxy in front of it (its three server
 * lines all at that one replica). XML-RPC execute_kw loyalty.card search_read of a partner's
 * cards, N requests per round on keep-alive connections, alternating direct and through the
 * balancer R times each (the baseline measured in the same run, on the same machine load).
 * Prints each round and the medians; the goal (issue 16): under 1 ms added at p50.
 */
import { Agent } from 'node:http';
import { parseArgs } from 'node:util';
import { hashPassword } from '../src/auth/password';
import { encodeMethodCall } from '../src/rpc/xml/codec';
import { formatLine, Figures, load, post } from './lib/load';
import { freshDatabase } from '../test/helpers/pg';
import { freePort, spawnSidecar } from '../test/helpers/process';
import { startBalancer } from '../test/helpers/haproxy';
import { knex } from 'knex';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '3000' }, rounds: { type: 'string', default: '5' }, concurrency: { type: 'string', default: '1,8' } } });
const requests = Number(values.requests);
const rounds = Number(values.rounds);

async function main(): Promise<void> {
  const database = await freshDatabase('odoo17');
  const db = knex({ client: 'pg', connection: database.url, pool: { min: 0, max: 1 } });
  await db.raw('update res_users set password = ? where login = ?', [await hashPassword('bench', 1000), 'admin']);
  await db.destroy();
  const port = await freePort();
  const sidecar = await spawnSidecar({ DATABASE_URL: database.url, LOG_LEVEL: 'warn', JOBS: 'off' }, port);
  const direct = `http://127.0.0.1:${port}`;
  const balancer = await startBalancer([`127.0.0.1:${port}`, `127.0.0.1:${port}`, `127.0.0.1:${port}`]);
  const body = encodeMethodCall('execute_kw', [database.name, 2, 'bench', 'loyalty.card', 'search_read', [[['partner_id', '=', 64]]], { fields: ['code', 'program_id', 'points'] }]);
  try {
    for (const c of values.concurrency!.split(',').map(Number)) {
      const agents = { direct: new Agent({ keepAlive: true, maxSockets: c }), balancer: new Agent({ keepAlive: true, maxSockets: c }) };
      const run = (which: 'direct' | 'balancer') => load(requests, c, () => post(agents[which], which === 'direct' ? direct : balancer.url, '/xmlrpc/2/object', body, 'text/xml'));
      // Warm-up: V8 optimises the hot paths over the first few thousand calls.
      await run('direct');
      await run('balancer');
      const figures: Record<'direct' | 'balancer', Figures[]> = { direct: [], balancer: [] };
      for (let r = 0; r < rounds; r++) {
        for (const which of ['direct', 'balancer'] as const) {
          const f = await run(which);
          figures[which].push(f);
          process.stdout.write(formatLine(`round ${r + 1} ${which === 'direct' ? 'direct to the replica' : 'through HAProxy'}`, c, f) + '\n');
        }
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const d50 = median(figures.direct.map((f) => f.p50));
      const b50 = median(figures.balancer.map((f) => f.p50));
      const d99 = median(figures.direct.map((f) => f.p99));
      const b99 = median(figures.balancer.map((f) => f.p99));
      const added = median(figures.balancer.map((f, i) => f.p50 - figures.direct[i].p50));
      process.stdout.write(
        `c=${c} medians: direct p50 ${d50.toFixed(3)} ms p99 ${d99.toFixed(3)} ms; through HAProxy p50 ${b50.toFixed(3)} ms p99 ${b99.toFixed(3)} ms; ` +
          `added at p50 (median of the rounds' differences) ${added.toFixed(3)} ms, at p99 ${(b99 - d99).toFixed(3)} ms\n`,
      );
      agents.direct.destroy();
      agents.balancer.destroy();
    }
  } finally {
    await balancer.stop();
    await sidecar.stop();
    await database.drop();
  }
}

main().catch((err) => {
  process.stderr.write(`bench balancer failed: ${(err as Error).stack}\n`);
  process.exit(1);
});

/**
 * bench/tills: concurrent tills on overlapping cards (test/helpers/tills.ts: half through Odoo's
 * POS methods over JSON-RPC, half through REST web orders paying with two of nine shared gift
 * cards in random order, as the cashier): the lock-order workload. Prints,
 * per run, the tills, orders/s and the deadlocks PostgreSQL counted; the baseline, in the same
 * run on the same database, is two tills (one POS, one web), next to no contention.
 *
 *   npm run bench -- tills [--tills 200] [--orders-per-till 3] [--baseline-orders 100]
 *
 * Works on a fresh copy of the Odoo 17 dump (test template), dropped at the end.
 */
import { loadConfig } from '../src/config';
import { startSidecar } from '../src/server';
import { ledgerDiscrepancies } from '../src/ledger/audit';
import { freshDatabase } from '../test/helpers/pg';
import { prepareTills, runTills, TillRun } from '../test/helpers/tills';
import { numberArg } from './lib/args';
import { loadavg } from 'node:os';
import { setLogLevel } from '../src/log';

const TILLS = numberArg('tills', 200);
const PER_TILL = numberArg('orders-per-till', 3);
const BASELINE = numberArg('baseline-orders', 100);

const line = (label: string, r: TillRun) =>
  `${label.padEnd(22)} tills ${String(r.tills).padStart(4)}   orders ${String(r.orders).padStart(5)}   ${r.ordersPerSecond.toFixed(1).padStart(7)} orders/s   deadlocks ${r.deadlocks}   failed ${r.failed}`;

async function main(): Promise<void> {
  setLogLevel('error');
  const database = await freshDatabase('odoo17');
  const sidecar = await startSidecar({ ...loadConfig({}), databaseUrl: database.url, port: 0, host: '127.0.0.1', logLevel: 'silent', jobsEnabled: false });
  const db = sidecar.ctx.db.knex;
  try {
    // Enough on the gift cards that most claims are paid: the redeem path is what locks.
    const codes = await prepareTills(db, 1_000_000);
    process.stdout.write(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
    const baseline = await runTills(sidecar.url, sidecar.ctx.dbName, db, codes, 2, Math.ceil(BASELINE / 2));
    process.stdout.write(line('baseline (two tills)', baseline) + '\n');
    const run = await runTills(sidecar.url, sidecar.ctx.dbName, db, codes, TILLS, PER_TILL);
    process.stdout.write(line('concurrent tills', run) + '\n');
    if (run.errors.length) process.stdout.write(`errors: ${run.errors.join(' | ')}\n`);
    const broken = await ledgerDiscrepancies(db);
    process.stdout.write(`cards whose points differ from their moves: ${broken.length}\n`);
  } finally {
    await sidecar.close();
    await database.drop();
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack}\n`);
  process.exit(1);
});

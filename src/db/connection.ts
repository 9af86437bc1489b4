import { knex, Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { mkdirSync } from 'node:fs';
import { AsyncLocalStorage } from 'node:async_hooks';
import { PGlite } from '@electric-sql/pglite';
// The package exports its extensions as subpaths, which tsconfig's "node" resolution cannot
// see: require the runtime path, type it from the declaration file.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pg_trgm } = require('@electric-sql/pglite/contrib/pg_trgm') as typeof import('@electric-sql/pglite/dist/contrib/pg_trgm');
import { Config } from '../config';
import { lockEmbeddedDatabase } from './embedded-lock';
import { log } from '../log';

/** An open database, whichever engine is behind it. */
export interface Database {
  knex: Knex;
  /** 'postgres' for a real server, 'pglite' for the embedded one. */
  engine: 'postgres' | 'pglite';
  /** The PostgreSQL database name (what Odoo calls the db). */
  name: string;
  /**
   * Whether the database answers (/healthz, /readyz): `select 1` on a server connection of its
   * own, outside the pool. Through the pool a probe waited behind requests whose transactions
   * wait on each other's card locks, a balancer's check timed out on every replica at once, and
   * all of them left the rotation although each was serving (the soak's tills on shared cards).
   */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** ping() of a server database: one raw connection, opened on first use and again after a failure. */
function serverPing(instance: Knex): Pick<Database, 'ping' | 'close'> {
  type Raw = { query(sql: string): Promise<unknown> };
  let probe: Promise<Raw> | null = null;
  const drop = async () => {
    const open = probe;
    probe = null;
    if (open) await open.then((c) => instance.client.destroyRawConnection(c), () => undefined);
  };
  return {
    async ping() {
      probe ??= instance.client.acquireRawConnection() as Promise<Raw>;
      try {
        await (await probe).query('select 1');
      } catch (err) {
        await drop();
        throw err;
      }
    },
    close: async () => {
      await drop();
      await instance.destroy();
    },
  };
}

/**
 * pg parses NUMERIC, INT8 and dates into JS values its own way; Odoo's wire wants floats for
 * numeric columns, integers for int8 ids and the raw 'YYYY-MM-DD' text for dates (a JS Date
 * would shift with the process time zone). The same parsers serve the pg driver (set once
 * here) and PGlite (openPglite), so nothing above the db layer can tell the engines apart.
 */
import { types } from 'pg';
const VALUE_PARSERS: Record<number, (v: string) => unknown> = {
  [types.builtins.NUMERIC]: (v) => parseFloat(v),
  [types.builtins.INT8]: (v) => parseInt(v, 10),
  [types.builtins.DATE]: (v) => v,
  [types.builtins.TIMESTAMP]: (v) => v,
};
for (const [oid, parse] of Object.entries(VALUE_PARSERS)) types.setTypeParser(Number(oid), parse);

/** Where the database is and, on a server, the pool's size and how long a request waits for a connection. */
type DatabaseSettings = Pick<Config, 'databaseUrl' | 'dataDir'> & Partial<Pick<Config, 'dbPoolMax' | 'dbAcquireTimeoutMs'>>;

export async function openDatabase(config: DatabaseSettings, poolMax = config.dbPoolMax ?? 10): Promise<Database> {
  if (config.databaseUrl) {
    const instance = knex({
      client: 'pg',
      connection: config.databaseUrl,
      pool: { min: 0, max: poolMax },
      // knex waits 60 s by default: a till would hang that long before hearing "try again" (503).
      acquireConnectionTimeout: config.dbAcquireTimeoutMs ?? 10_000,
      // knex writes its own warnings with console.log, stacks included: into the JSON log instead.
      // Its "Acquire connection error" is the pool timeout sanitizeError already logs per request.
      log: {
        warn: (message: string) => (message.startsWith('Acquire connection error') ? log.debug : log.warn)('knex', { error: message }),
        error: (message: string) => log.error('knex', { error: message }),
        deprecate: (method: string, alternative: string) => log.warn('knex deprecation', { method, alternative }),
        debug: (message: string) => log.debug('knex', { error: message }),
      },
    });
    const row = (await instance.raw('select current_database() as name')).rows[0];
    return { knex: instance, engine: 'postgres', name: row.name, ...serverPing(instance) };
  }
  mkdirSync(config.dataDir, { recursive: true });
  const release = lockEmbeddedDatabase(config.dataDir);
  try {
    const db = await openPglite(config.dataDir);
    return { ...db, close: () => db.close().finally(release) };
  } catch (err) {
    release();
    throw err;
  }
}

/** Set while a transaction's callback runs on the embedded database (see EmbeddedClient). */
const insideTransaction = new AsyncLocalStorage<true>();

/**
 * PGlite is one session, so knex gets a pool of one connection. On a server, code running
 * inside a transaction may still send a query through the plain knex (a cache lookup, a
 * hasTable check): it gets a second connection. With one connection that query would wait
 * for the transaction that waits for it. So a query issued from inside a transaction's
 * callback runs on the session the transaction holds (it sees the transaction's writes, the
 * only difference from a server). Concurrent requests still queue for the session one
 * transaction at a time: they do not run inside another request's callback.
 */
class EmbeddedClient extends (ClientPgLite as unknown as new (config: Knex.Config) => Knex.Client) {
  override transaction(container: (trx: Knex.Transaction) => unknown, config?: Knex.TransactionConfig, outerTx?: Knex.Transaction): Knex.Transaction {
    const run = (trx: Knex.Transaction) => insideTransaction.run(true, () => container(trx));
    return super.transaction(run, config, outerTx);
  }
  override async acquireConnection(): Promise<unknown> {
    if (insideTransaction.getStore()) return (this as unknown as { pglite: PGlite }).pglite;
    return super.acquireConnection();
  }
  override async releaseConnection(connection: unknown): Promise<unknown> {
    if (insideTransaction.getStore()) return;
    return super.releaseConnection(connection);
  }
}

/**
 * Starts fire-and-forget work (a background check nobody awaits) outside the transaction whose
 * callback it is started from. On the embedded database a query issued inside a transaction's
 * callback joins the transaction's session (EmbeddedClient): background work there would fail
 * with it, abort it with its own failure, or run on the session after the transaction ended,
 * beside another one. Detached, its queries wait for the session like any other. On a server
 * nothing changes (they take a pooled connection either way). Never for work the caller awaits
 * inside its transaction: on the one session that would wait for itself.
 */
export function detached<T>(fn: () => T): T {
  return insideTransaction.exit(fn);
}

/**
 * The embedded database, with the pg driver's value parsers (VALUE_PARSERS) and pg_trgm
 * (Odoo's res_partner indexes use it). dataDir null: an in-memory database (tests).
 */
export async function openPglite(dataDir: string | null): Promise<Database> {
  const pglite = new PGlite({
    dataDir: dataDir ?? undefined,
    extensions: { pg_trgm },
    parsers: VALUE_PARSERS,
  });
  await pglite.waitReady;
  const instance = knex({
    client: EmbeddedClient as unknown as typeof knex.Client,
    dialect: 'postgres',
    connection: { pglite },
  } as Knex.Config);
  // One session: the probe queues with everything else (no balancer sends an embedded database checks).
  return { knex: instance, engine: 'pglite', name: 'sidecar', ping: async () => void (await instance.raw('select 1')), close: () => instance.destroy() };
}

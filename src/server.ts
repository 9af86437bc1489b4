import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Config } from './config';
import { openDatabase, Database } from './db/connection';
import { databaseMode } from './db/mode';
import { migrate } from './db/migrate';
import { loadDemoSeeds } from './db/seed';
import { createApp } from './app';
import { AppContext } from './context';
import { log } from './log';
import { UpstreamOdoo } from './upstream/client';
import { getRegistry } from './orm/registry';

export interface RunningSidecar {
  ctx: AppContext;
  server: Server;
  /** Where the server listens, as bound: `0.0.0.0:8070` (every interface), `127.0.0.1:54321` … */
  address: string;
  /** A URL that reaches it from this machine (a loopback address when bound to every interface). */
  url: string;
  close(): Promise<void>;
}

/** Opens the database, migrates it and builds the context. */
export async function boot(config: Config, db?: Database): Promise<AppContext> {
  const database = db ?? (await openDatabase(config));
  const applied = await migrate(database.knex, config.odooDbRole);
  if (applied.length) log.info('migrations applied', { applied });
  const mode = await databaseMode(database);
  // Embedded: `npm start` with no configuration gives a database a newcomer can explore.
  if (mode === 'embedded' && (await loadDemoSeeds(database.knex)) === 'loaded') {
    log.info('demo seeds loaded (first start of the embedded database)');
  }
  const upstream = config.odooUrl ? new UpstreamOdoo(config.odooUrl, config.odooTimeoutMs) : undefined;
  const ctx: AppContext = { config, db: database, mode, dbName: config.odooDb ?? database.name, upstream };
  // Read before the first request: calls inside a transaction must find it loaded, not load it
  // through the pool while holding a connection (a burst at start-up would starve the pool).
  await getRegistry(ctx);
  return ctx;
}

/** Starts the HTTP server on config.port (0 = any free port). */
export async function startSidecar(config: Config, db?: Database): Promise<RunningSidecar> {
  const ctx = await boot(config, db);
  const app = createApp(ctx);
  const server = createServer(app);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  const ip = (a: string) => (a.includes(':') ? `[${a}]` : a);
  const anyInterface = bound.address === '0.0.0.0' || bound.address === '::';
  const local = anyInterface ? (bound.family === 'IPv6' ? '[::1]' : '127.0.0.1') : ip(bound.address);
  return {
    ctx,
    server,
    address: `${ip(bound.address)}:${bound.port}`,
    url: `http://${local}:${bound.port}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      ctx.upstream?.close();
      await ctx.db.close();
    },
  };
}

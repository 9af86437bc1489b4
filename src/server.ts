import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Config } from './config';
import { openDatabase, Database } from './db/connection';
import { detectMode } from './db/mode';
import { migrate } from './db/migrate';
import { loadDemoSeeds } from './db/seed';
import { createApp } from './app';
import { AppContext } from './context';
import { log } from './log';

export interface RunningSidecar {
  ctx: AppContext;
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Opens the database, migrates it and builds the context. */
export async function boot(config: Config, db?: Database): Promise<AppContext> {
  const database = db ?? (await openDatabase(config));
  const applied = await migrate(database.knex, config.odooDbRole);
  if (applied.length) log.info('migrations applied', { applied });
  const mode = await detectMode(database.knex);
  // Embedded: `npm start` with no configuration gives a database a newcomer can explore.
  if (database.engine === 'pglite' && mode === 'standalone' && (await loadDemoSeeds(database.knex)) === 'loaded') {
    log.info('demo seeds loaded (first start of the embedded database)');
  }
  return { config, db: database, mode, dbName: config.odooDb ?? database.name };
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
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  return {
    ctx,
    server,
    url: `http://${host}:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      await ctx.db.close();
    },
  };
}

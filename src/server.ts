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
import { Lifecycle } from './lifecycle';
import { getRegistry } from './orm/registry';
import { enableEvents } from './events/outbox';
import { EventRelay } from './events/relay';
import { closeRedis, connectRedis } from './events/redis';
import './events/sources';

export interface RunningSidecar {
  ctx: AppContext;
  server: Server;
  /** Where the server listens, as bound: `0.0.0.0:8070` (every interface), `127.0.0.1:54321` … */
  address: string;
  /** A URL that reaches it from this machine (a loopback address when bound to every interface). */
  url: string;
  /** Stops at once: requests in flight are cut (tests). */
  close(): Promise<void>;
  /**
   * The graceful stop (SIGTERM): drains (not ready; answers close their connections), keeps
   * listening `delayMs` for the balancer to notice, stops accepting, waits for the requests,
   * transactions and job runs in flight up to `graceMs`, then closes the relay and the database.
   * Answers whether everything in flight finished in time.
   */
  shutdown(opts?: { delayMs?: number; graceMs?: number }): Promise<boolean>;
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
  // Events are written to the outbox wherever REDIS_URL is set (servers and `npm run job` alike).
  if (config.redisUrl) enableEvents(database.knex);
  const ctx: AppContext = { config, db: database, mode, dbName: config.odooDb ?? database.name, upstream, lifecycle: new Lifecycle() };
  // Read before the first request: calls inside a transaction must find it loaded, not load it
  // through the pool while holding a connection (a burst at start-up would starve the pool).
  await getRegistry(ctx);
  return ctx;
}

/** Starts the HTTP server on config.port (0 = any free port). */
export async function startSidecar(config: Config, db?: Database): Promise<RunningSidecar> {
  const ctx = await boot(config, db);
  const app = createApp(ctx);
  let inFlight = 0;
  const server = createServer((req, res) => {
    inFlight++;
    res.once('close', () => inFlight--);
    // Draining: the connection ends with this answer, so the balancer opens its next one elsewhere.
    if (ctx.lifecycle.draining) res.setHeader('Connection', 'close');
    app(req, res);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  const ip = (a: string) => (a.includes(':') ? `[${a}]` : a);
  const anyInterface = bound.address === '0.0.0.0' || bound.address === '::';
  const local = anyInterface ? (bound.family === 'IPv6' ? '[::1]' : '127.0.0.1') : ip(bound.address);
  const redis = config.redisUrl ? connectRedis(config.redisUrl) : null;
  const relay = redis ? new EventRelay(ctx.db.knex, redis, { stream: config.eventsStream, dbName: ctx.dbName }) : null;
  relay?.start();
  const shutdown = async ({ delayMs = config.shutdownDelayMs, graceMs = config.shutdownGraceMs } = {}): Promise<boolean> => {
    ctx.lifecycle.startDraining();
    log.info('draining: /readyz answers 503', { delay_ms: delayMs, grace_ms: graceMs, requests: inFlight, jobs: ctx.lifecycle.busy });
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections?.();
    const deadline = Date.now() + graceMs;
    while ((inFlight > 0 || ctx.lifecycle.busy > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const finished = inFlight === 0 && ctx.lifecycle.busy === 0;
    if (!finished) log.warn('grace period over: cutting what is still in flight', { requests: inFlight, jobs: ctx.lifecycle.busy });
    server.closeAllConnections?.();
    await closed;
    await relay?.stop();
    if (redis) await closeRedis(redis);
    ctx.upstream?.close();
    await ctx.db.close();
    return finished;
  };
  return {
    ctx,
    server,
    address: `${ip(bound.address)}:${bound.port}`,
    url: `http://${local}:${bound.port}`,
    close: async () => {
      await shutdown({ delayMs: 0, graceMs: 0 });
    },
    shutdown,
  };
}

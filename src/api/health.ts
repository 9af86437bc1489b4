import { Router } from 'express';
import { AppContext } from '../context';
import { sanitizeError } from '../errors';
import { pendingMigrations } from '../db/migrate';

/**
 * /healthz: liveness, the process is up and the database answers. /readyz: readiness, what a
 * load balancer's health check asks (deploy/haproxy.cfg): the database answers, every migration
 * of this version is applied, and the replica is not draining (after SIGTERM it answers 503 so
 * the balancer sends it nothing new while it finishes what it has).
 */
export function healthRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    try {
      await ctx.db.ping();
      res.json({ status: 'ok', db: ctx.dbName, mode: ctx.mode, engine: ctx.db.engine });
    } catch (err) {
      res.status(503).json({ status: 'down', error: sanitizeError(err).message });
    }
  });
  // Migrations are never undone: once this version's are all applied, they stay so.
  let migrationsCurrent = false;
  router.get('/readyz', async (_req, res) => {
    const replica = ctx.lifecycle.replica;
    if (ctx.lifecycle.draining) {
      res.status(503).json({ status: 'draining', replica });
      return;
    }
    try {
      await ctx.db.ping();
      if (!migrationsCurrent) {
        const pending = await pendingMigrations(ctx.db.knex);
        if (pending.length) {
          res.status(503).json({ status: 'migrations_pending', pending, replica });
          return;
        }
        migrationsCurrent = true;
      }
      res.json({ status: 'ready', replica });
    } catch (err) {
      res.status(503).json({ status: 'down', error: sanitizeError(err).message, replica });
    }
  });
  return router;
}

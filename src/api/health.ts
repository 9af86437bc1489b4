import { Router } from 'express';
import { AppContext } from '../context';
import { sanitizeError } from '../errors';

/** /healthz: the process is up and the database answers. */
export function healthRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    try {
      await ctx.db.knex.raw('select 1');
      res.json({ status: 'ok', db: ctx.dbName, mode: ctx.mode, engine: ctx.db.engine });
    } catch (err) {
      res.status(503).json({ status: 'down', error: sanitizeError(err).message });
    }
  });
  return router;
}

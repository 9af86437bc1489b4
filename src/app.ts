import { RequestListener } from 'node:http';
import express from 'express';
import { AppContext } from './context';
import { rpcMethodRouter, rpcRoutes } from './rpc/router';
import { healthRouter } from './api/health';
import { apiRouter } from './api/router';
import { metricsRouter } from './metrics/http';
import { hooksRouter } from './api/hooks';

/**
 * Builds the HTTP application: transports only, no SQL here. Odoo's RPC endpoints (POST) are
 * matched first, without express (rpc/routes.ts); everything else goes through express.
 */
export function createApp(ctx: AppContext): RequestListener {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(metricsRouter(ctx));
  app.use(healthRouter(ctx));
  app.use(rpcMethodRouter());
  app.use('/api/v1', apiRouter(ctx));
  app.use('/hooks', hooksRouter(ctx));
  const rpc = rpcRoutes(ctx);
  return (req, res) => {
    if (!rpc.handle(req, res)) app(req, res);
  };
}

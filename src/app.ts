import { RequestListener } from 'node:http';
import express, { NextFunction, Request, Response } from 'express';
import { AppContext } from './context';
import { rpcMethodRouter, rpcRoutes } from './rpc/router';
import { healthRouter } from './api/health';
import { apiRouter } from './api/router';
import { metricsRouter } from './metrics/http';
import { hooksRouter } from './api/hooks';
import { json2Router } from './rpc/json2/route';
import { docRouter } from './rpc/json2/doc';
import { webLogoutRouter } from './rpc/web-logout';
import { notFoundPage } from './rpc/not-found';
import { sendError } from './api/errors';
import { logRequest } from './log';
import { serveRequest } from './request-context';

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
  app.use(json2Router());
  app.use(docRouter(ctx));
  app.use(webLogoutRouter(ctx));
  app.use(notFoundPage);
  // Whatever a router above let through: never express's default page (it shows the stack).
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => sendError(res, err));
  const rpc = rpcRoutes(ctx);
  // Every request runs in its context (request id, one summary line): src/request-context.ts.
  return (req, res) =>
    serveRequest(req, res, logRequest, () => {
      if (!rpc.handle(req, res)) app(req, res);
    });
}

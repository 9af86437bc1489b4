import express, { Express } from 'express';
import { AppContext } from './context';
import { rpcRouter } from './rpc/router';
import { healthRouter } from './api/health';
import { apiRouter } from './api/router';
import { metricsRouter } from './metrics/http';
import { hooksRouter } from './api/hooks';

/** Builds the HTTP application: transports only, no SQL here. */
export function createApp(ctx: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(metricsRouter());
  app.use(healthRouter(ctx));
  app.use(rpcRouter(ctx));
  app.use('/api/v1', apiRouter(ctx));
  app.use('/hooks', hooksRouter(ctx));
  return app;
}

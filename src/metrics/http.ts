import { IncomingMessage, ServerResponse } from 'node:http';
import { Router } from 'express';
import { metrics, renderMetrics } from './registry';
import { boundedMemo } from '../orm/memo';
import { upstreamMetricsText } from '../upstream/metrics';

/**
 * Counts and times every request that passes through (mount it first), and serves /metrics.
 * The route label is the path with numeric segments folded, so labels stay few.
 */
export function metricsRouter(): Router {
  const router = Router();
  router.use((req, res, next) => {
    observeRequest(req, res);
    next();
  });
  router.get('/metrics', async (_req, res) => {
    // The upstream proxy's metrics live on prom-client's default registry (upstream/metrics.ts).
    res.type('text/plain; version=0.0.4').send(renderMetrics() + '\n' + (await upstreamMetricsText()));
  });
  return router;
}

/** The route label of a path: query dropped, numeric segments folded (RPC paths repeat: kept). */
const routes = boundedMemo<string>(1000);
const routeOf = (url: string): string => routes(url, () => url.split('?')[0].replace(/\/\d+(?=\/|$)/g, '/:id').slice(0, 100));

/** Counts and times one request when its answer is sent (the express middleware and the RPC route table). */
export function observeRequest(req: IncomingMessage, res: ServerResponse): void {
  const started = process.hrtime.bigint();
  const url = req.url ?? '/';
  res.on('finish', () => {
    // Unmatched paths fold into one label: a scanner must not grow the series without end.
    const route = res.statusCode === 404 ? 'unmatched' : routeOf(url);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    metrics.httpRequests.inc({ method: req.method ?? '', route, status: res.statusCode });
    metrics.httpDuration.observe({ method: req.method ?? '', route }, seconds);
  });
}

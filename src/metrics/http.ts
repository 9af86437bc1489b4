import { Router } from 'express';
import { metrics, renderMetrics } from './registry';

/**
 * Counts and times every request that passes through (mount it first), and serves /metrics.
 * The route label is the path with numeric segments folded, so labels stay few.
 */
export function metricsRouter(): Router {
  const router = Router();
  router.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      // Unmatched paths fold into one label: a scanner must not grow the series without end.
      const route = res.statusCode === 404 ? 'unmatched' : req.originalUrl.split('?')[0].replace(/\/\d+(?=\/|$)/g, '/:id').slice(0, 100);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequests.inc({ method: req.method, route, status: res.statusCode });
      metrics.httpDuration.observe({ method: req.method, route }, seconds);
    });
    next();
  });
  router.get('/metrics', (_req, res) => {
    res.type('text/plain; version=0.0.4').send(renderMetrics());
  });
  return router;
}

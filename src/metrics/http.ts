import { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual, createHash } from 'node:crypto';
import { Request, Response, Router } from 'express';
import { AppContext } from '../context';
import { addressListOf, requestAddress } from '../http/addresses';
import { metrics, registry, renderMetrics } from './registry';

/** The label of requests no route matched: a scanner's paths all fold into it. */
export const UNMATCHED_ROUTE = 'unmatched';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Where observeRequest finds the route template a router matched (set by the router, read at finish). */
const ROUTE = Symbol('sidecar.route');
type Routed = IncomingMessage & { [ROUTE]?: string; route?: { path?: unknown }; baseUrl?: string };

/** The RPC route table (rpc/routes.ts) names the template it matched. */
export function setRouteTemplate(req: IncomingMessage, template: string): void {
  (req as Routed)[ROUTE] = template;
}

/**
 * The route label of a finished request: the template of the route that answered it (an
 * express route's mount path and path, `/api/v1/cards/:id/balance`; an RPC table entry),
 * never the path as sent; requests no route matched share one label.
 */
function routeLabel(req: Routed): string {
  const explicit = req[ROUTE];
  if (explicit) return explicit;
  const path = req.route?.path;
  return typeof path === 'string' ? (req.baseUrl ?? '') + path : UNMATCHED_ROUTE;
}

/** Counts and times one request when its answer is sent (the express middleware and the RPC route table). */
export function observeRequest(req: IncomingMessage, res: ServerResponse): void {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const method = METHODS.has(req.method ?? '') ? req.method! : 'OTHER';
    const route = routeLabel(req as Routed);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    metrics.httpRequests.inc({ method, route, status: res.statusCode });
    metrics.httpDuration.observe({ method, route }, seconds);
  });
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Whether this request may read /metrics: with METRICS_ALLOW its client address must be in the
 * list, with METRICS_TOKEN it must carry `Authorization: Bearer <token>`; both when both are
 * set. Neither set: open, as Prometheus' own exporters are.
 */
function metricsRefusal(ctx: AppContext, req: Request): { status: 401 | 403; message: string } | null {
  const { metricsAllow, metricsToken } = ctx.config;
  if (metricsAllow.length && !addressListOf(metricsAllow).has(requestAddress(req, ctx.config))) {
    return { status: 403, message: 'This address may not read the metrics' };
  }
  if (metricsToken) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    // Compared as digests: constant time whatever the lengths.
    if (!m || !timingSafeEqual(digest(m[1]), digest(metricsToken))) return { status: 401, message: 'A valid metrics token is required' };
  }
  return null;
}

/** Counts and times every request that passes through (mount it first), and serves /metrics. */
export function metricsRouter(ctx: AppContext): Router {
  const router = Router();
  router.use((req, res, next) => {
    observeRequest(req, res);
    next();
  });
  router.get('/metrics', async (req: Request, res: Response) => {
    const refused = metricsRefusal(ctx, req);
    if (refused) {
      if (refused.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      res.status(refused.status).json({ error: { code: refused.status === 401 ? 'unauthorized' : 'forbidden', message: refused.message } });
      return;
    }
    res.type(registry.contentType).send(await renderMetrics());
  });
  return router;
}

/**
 * Prometheus metrics with prom-client, the standard Prometheus client for Node, in one
 * registry per process (each replica is scraped on its own). Other parts of the sidecar define
 * their own metrics with prom-client's classes directly, registered here:
 *
 *   new Counter({ name: 'sidecar_x_total', help: '…', labelNames: ['kind'], registers: [registry] })
 *
 * Label values must come from a small known set (a route template, a kind, a status), never
 * from a request as sent: every distinct value is a series kept in memory until restart.
 */
import { Counter, Histogram, Registry } from 'prom-client';

export const registry = new Registry();

export const metrics = {
  httpRequests: new Counter({
    name: 'sidecar_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  }),
  httpDuration: new Histogram({
    name: 'sidecar_http_request_duration_seconds',
    help: 'HTTP request latency, by method and route template.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  }),
  ordersProcessed: new Counter({
    name: 'sidecar_orders_processed_total',
    help: 'Orders whose points were applied, by source and kind.',
    labelNames: ['source', 'kind'] as const,
    registers: [registry],
  }),
  pointsMoved: new Counter({
    name: 'sidecar_points_moved_total',
    help: 'Absolute points written to the ledger, by move kind.',
    labelNames: ['kind'] as const,
    registers: [registry],
  }),
};

/** The text exposition of every metric of the registry. */
export function renderMetrics(): Promise<string> {
  return registry.metrics();
}

/** The events relay's metrics (prom-client, on the sidecar's registry: served on /metrics). */
import { Counter, Gauge } from 'prom-client';
import { registry } from '../metrics/registry';

export const eventMetrics = {
  published: new Counter({
    name: 'sidecar_events_published_total',
    help: 'Outbox events published to Redis by this replica, by type',
    labelNames: ['type'] as const,
    registers: [registry],
  }),
  failures: new Counter({
    name: 'sidecar_events_relay_failures_total',
    help: 'Relay batches that could not be published (Redis or the database unreachable); they are retried',
    registers: [registry],
  }),
  lag: new Gauge({
    name: 'sidecar_events_outbox_lag_seconds',
    help: 'Age of the oldest undelivered outbox event when this replica last looked (0: none waiting)',
    registers: [registry],
  }),
};

/**
 * The upstream proxy's metrics (prom-client, on the sidecar's registry: src/metrics/registry.ts): calls forwarded to Odoo per
 * protocol, model, method and outcome, and their time. Model and method names come from
 * clients, so a label pair is kept only for names shaped like Odoo's and for the first
 * MAX_PAIRS pairs seen; the rest count under "other", and the series stay bounded.
 */
import { Counter, Histogram } from 'prom-client';
import { registry } from '../metrics/registry';

export type UpstreamProtocol = 'xmlrpc' | 'jsonrpc' | 'web' | 'json2';
export type UpstreamOutcome = 'ok' | 'fault' | 'error';

const MAX_PAIRS = 500;
const NAME = /^[a-z][a-z0-9_.]{0,63}$/;
const seen = new Set<string>();

function labelPair(model: string, method: string): [string, string] {
  if (!NAME.test(model) || !NAME.test(method)) return ['other', 'other'];
  const key = `${model} ${method}`;
  if (seen.has(key)) return [model, method];
  if (seen.size >= MAX_PAIRS) return ['other', 'other'];
  seen.add(key);
  return [model, method];
}

const calls = new Counter({
  name: 'sidecar_upstream_calls_total',
  help: 'Calls forwarded to the upstream Odoo (ODOO_URL), by protocol, model, method and outcome',
  labelNames: ['protocol', 'model', 'method', 'outcome'] as const,
  registers: [registry],
});

const seconds = new Histogram({
  name: 'sidecar_upstream_call_seconds',
  help: 'Time of calls forwarded to the upstream Odoo, from sending to the whole answer',
  labelNames: ['protocol', 'model', 'method'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export function observeUpstream(protocol: UpstreamProtocol, model: string, method: string, outcome: UpstreamOutcome, elapsedSeconds: number): void {
  const [m, f] = labelPair(model, method);
  calls.inc({ protocol, model: m, method: f, outcome });
  seconds.observe({ protocol, model: m, method: f }, elapsedSeconds);
}

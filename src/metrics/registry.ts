/**
 * Prometheus metrics in the text exposition format, kept in this process (each replica is
 * scraped on its own). Small on purpose: counters and histograms with labels are all we need.
 */
type Labels = Record<string, string | number>;

const NEEDS_ESCAPE = /[\\"\n]/;
const escapeLabel = (v: string): string =>
  NEEDS_ESCAPE.test(v) ? v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : v;

// Runs twice per HTTP request: a plain loop, escaping only values that need it.
function labelKey(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  let key = '';
  for (let i = 0; i < keys.length; i++) key += `${i ? ',' : ''}${keys[i]}="${escapeLabel(String(labels[keys[i]]))}"`;
  return key;
}

const fmt = (name: string, key: string, value: number): string => `${name}${key ? `{${key}}` : ''} ${value}`;

abstract class Metric {
  constructor(readonly name: string, readonly help: string) {}
  abstract readonly type: string;
  abstract lines(): string[];
  render(): string {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`, ...this.lines()].join('\n');
  }
}

export class Counter extends Metric {
  readonly type = 'counter';
  private values = new Map<string, number>();
  inc(labels: Labels = {}, by = 1): void {
    const k = labelKey(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  lines(): string[] {
    return [...this.values].map(([k, v]) => fmt(this.name, k, v));
  }
}

export class Histogram extends Metric {
  readonly type = 'histogram';
  private series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(name: string, help: string, readonly buckets: number[]) {
    super(name, help);
  }
  observe(labels: Labels, value: number): void {
    const k = labelKey(labels);
    let s = this.series.get(k);
    if (!s) this.series.set(k, (s = { counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    this.buckets.forEach((b, i) => { if (value <= b) s!.counts[i]++; });
    s.sum += value;
    s.count++;
  }
  lines(): string[] {
    const out: string[] = [];
    for (const [k, s] of this.series) {
      const sep = k ? ',' : '';
      this.buckets.forEach((b, i) => out.push(`${this.name}_bucket{${k}${sep}le="${b}"} ${s.counts[i]}`));
      out.push(`${this.name}_bucket{${k}${sep}le="+Inf"} ${s.count}`);
      out.push(fmt(this.name + '_sum', k, s.sum), fmt(this.name + '_count', k, s.count));
    }
    return out;
  }
}

export const metrics = {
  httpRequests: new Counter('sidecar_http_requests_total', 'HTTP requests answered, by method, route and status.'),
  httpDuration: new Histogram('sidecar_http_request_duration_seconds', 'HTTP request latency, by method and route.',
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]),
  ordersProcessed: new Counter('sidecar_orders_processed_total', 'Orders whose points were applied, by source and kind.'),
  pointsMoved: new Counter('sidecar_points_moved_total', 'Absolute points written to the ledger, by move kind.'),
};

export function renderMetrics(): string {
  return Object.values(metrics).map((m) => m.render()).join('\n') + '\n';
}

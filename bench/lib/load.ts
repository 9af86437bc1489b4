/**
 * Load generation for benchmarks: keep-alive HTTP POSTs and a bounded closed loop of
 * `concurrency` workers that prints req/s, p50 and p99.
 */
import { Agent, request } from 'node:http';

export interface Figures {
  rps: number;
  p50: number;
  p99: number;
}

export function post(agent: Agent, url: string, path: string, body: string, type = 'application/json'): Promise<string> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request(
      { host: u.hostname, port: u.port, path, method: 'POST', agent, headers: { 'content-type': type, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString()) : reject(new Error(`HTTP ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Runs `op` over `requests` items with `concurrency` workers, `size` items per call (its first
 * index and how many; each item of a call takes the call's latency); latencies in ms.
 */
export async function load(requests: number, concurrency: number, op: (i: number, n: number) => Promise<unknown>, size = 1): Promise<Figures> {
  const latencies: number[] = [];
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const i = next;
        const n = Math.min(size, requests - i);
        next += n;
        const t = process.hrtime.bigint();
        await op(i, n);
        const ms = Number(process.hrtime.bigint() - t) / 1e6;
        for (let k = 0; k < n; k++) latencies.push(ms);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
  return { rps: latencies.length / seconds, p50: pct(0.5), p99: pct(0.99) };
}

export const formatLine = (label: string, c: number, f: Figures) =>
  `${label.padEnd(44)} c=${String(c).padEnd(3)} ${f.rps.toFixed(0).padStart(7)} req/s   p50 ${f.p50.toFixed(2).padStart(8)} ms   p99 ${f.p99.toFixed(2).padStart(8)} ms`;

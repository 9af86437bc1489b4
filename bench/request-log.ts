/**
 * `npm run bench -- request-log [requests]`: what the request context and the one summary log
 * line (src/request-context.ts, src/log.ts) cost each request, in CPU. Baseline in the same run:
 * the same requests at LOG_LEVEL=warn (the context, the X-Request-Id header, no line). The lines
 * go to stderr: run with `2>/dev/null` to measure the writing without a terminal's cost.
 */
import { EventEmitter } from 'node:events';
import { IncomingMessage, ServerResponse } from 'node:http';
import { noteRequest, serveRequest } from '../src/request-context';
import { logRequest, setLogLevel } from '../src/log';

/** CPU microseconds per request: a request served in its context, the ORM noting its call, the answer sent. */
function perRequest(n: number, level: 'info' | 'warn'): number {
  setLogLevel(level);
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const req = Object.assign(new EventEmitter(), { url: '/xmlrpc/2/object', method: 'POST', headers: {} }) as unknown as IncomingMessage;
    const res = Object.assign(new EventEmitter(), { setHeader: () => undefined, statusCode: 200, writableFinished: true }) as unknown as ServerResponse;
    serveRequest(req, res, logRequest, () => noteRequest({ uid: 2, model: 'loyalty.card', method: 'search_read' }));
    res.emit('finish');
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

const n = Math.max(1000, Number(process.argv[2] ?? 100_000));
perRequest(n / 5, 'info'); // warm-up
const rows: Array<[string, number]> = [
  ['LOG_LEVEL=warn (baseline: context only)', perRequest(n, 'warn')],
  ['LOG_LEVEL=info (one line per request)', perRequest(n, 'info')],
];
for (const [label, us] of rows) process.stdout.write(`${label.padEnd(42)} ${us.toFixed(2)} µs CPU per request (${n} requests)\n`);

/**
 * Forwarding a call the sidecar does not serve to the upstream Odoo, over the protocol the
 * client used: the client's request body goes to the same path unchanged, and Odoo's answer
 * (result or fault, status, content type, bytes) comes back unchanged. The caller's own
 * credentials travel in that body (XML-RPC, JSON-RPC) or as the caller's Odoo session (web),
 * so Odoo checks them and applies the caller's own access rights: nothing is widened.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { PythonError } from '../errors';
import { log } from '../log';
import { UpstreamAnswer, UpstreamOdoo, UpstreamUnavailable } from './client';
import { observeUpstream, UpstreamOutcome, UpstreamProtocol } from './metrics';

/** A forwarded call's answer: the transport sends it to the client as it is. */
export class Forwarded {
  constructor(readonly answer: UpstreamAnswer) {}
}

/** What the client gets when the upstream cannot be reached (no address or reason leaks out). */
export function upstreamUnavailableError(): PythonError {
  return new PythonError('ConnectionError', 'The upstream Odoo server did not answer.');
}

/** Times a call to the upstream and counts it, with the caller's idea of its outcome. */
export async function timed<T>(protocol: UpstreamProtocol, model: string, method: string, call: () => Promise<T>, outcome: (answer: T) => UpstreamOutcome): Promise<T> {
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  try {
    const answer = await call();
    observeUpstream(protocol, model, method, outcome(answer), elapsed());
    return answer;
  } catch (err) {
    observeUpstream(protocol, model, method, 'error', elapsed());
    if (!(err instanceof UpstreamUnavailable)) throw err;
    log.warn('upstream: no answer', { protocol, model, method, reason: err.message });
    throw upstreamUnavailableError();
  }
}

/** How a fault starts: <fault> right inside <methodResponse>, an "error" key of the top-level object. */
const FAULT = { xmlrpc: /^[^]*?<methodResponse>\s*<fault>/, jsonrpc: /^\s*\{[^{[]*"error"\s*:/, web: /^\s*\{[^{[]*"error"\s*:/ } as const;

/** The headers a forwarded request carries: the client's content type, agent and address. */
function forwardedHeaders(req: IncomingMessage, extra: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': String(req.headers['content-type'] ?? 'text/xml'), ...extra };
  if (req.headers['user-agent']) headers['User-Agent'] = String(req.headers['user-agent']);
  const address = req.socket.remoteAddress;
  if (address) headers['X-Forwarded-For'] = req.headers['x-forwarded-for'] ? `${req.headers['x-forwarded-for']}, ${address}` : address;
  return headers;
}

/** POSTs the client's body to the same path upstream. */
export async function forwardRaw(
  upstream: UpstreamOdoo, protocol: 'xmlrpc' | 'jsonrpc' | 'web', model: string, method: string,
  req: IncomingMessage, body: string, extraHeaders: Record<string, string> = {},
): Promise<Forwarded> {
  const path = (req.url ?? '/').split('?')[0];
  const answer = await timed(protocol, model, method, () => upstream.post(path, body, forwardedHeaders(req, extraHeaders)),
    (a) => (a.status !== 200 ? 'error' : FAULT[protocol].test(a.body.toString('utf8', 0, Math.min(a.body.length, 256))) ? 'fault' : 'ok'));
  return new Forwarded(answer);
}

export function sendForwarded(res: ServerResponse, forwarded: Forwarded): void {
  const { status, contentType, body } = forwarded.answer;
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': body.length });
  res.end(body);
}

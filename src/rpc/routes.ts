/**
 * Odoo's RPC endpoints as a table matched before express: these are the hot paths (every
 * execute_kw), and express's router and response helpers cost more CPU per call than the
 * ORM's own work on a small read. Paths match the way the express routes they replaced did:
 * case-insensitive, a trailing slash or query string ignored. Only POST is routed here;
 * other methods fall through to express (the XML-RPC 405s, the REST API, health, metrics).
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { sanitizeError } from '../errors';
import { observeRequest, setRouteTemplate } from '../metrics/http';

export type RpcHandler = (req: IncomingMessage, res: ServerResponse, segment: string) => Promise<void>;

export class RpcRoutes {
  private readonly exacts = new Map<string, RpcHandler>();
  private readonly prefixes: Array<[string, RpcHandler]> = [];
  private readonly segments: Array<[string, RpcHandler, ReadonlySet<string>]> = [];

  /** POST `path`. */
  exact(path: string, handler: RpcHandler): void {
    this.exacts.set(path.toLowerCase(), handler);
  }

  /** POST `prefix` followed by anything. */
  prefix(prefix: string, handler: RpcHandler): void {
    this.prefixes.push([prefix.toLowerCase(), handler]);
  }

  /**
   * POST `prefix` followed by one path segment, handed to the handler (decoded). The segments
   * in `known` name their own metrics label; any other shares `<prefix>:segment`.
   */
  segment(prefix: string, handler: RpcHandler, known: string[] = []): void {
    this.segments.push([prefix.toLowerCase(), handler, new Set(known)]);
  }

  /** Runs the matching handler and returns true, or returns false (for express to answer). */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'POST') return false;
    const found = this.match(req.url ?? '/');
    if (!found) return false;
    setRouteTemplate(req, found.template);
    observeRequest(req, res);
    found.handler(req, res, found.segment).catch((err) => {
      // Handlers answer their own errors; this is the last resort (logged, never rethrown).
      sanitizeError(err);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
    return true;
  }

  /** The matching handler, the path segment it takes, and the route template that labels its metrics. */
  private match(url: string): { handler: RpcHandler; segment: string; template: string } | null {
    const q = url.indexOf('?');
    let path = (q >= 0 ? url.slice(0, q) : url).toLowerCase();
    if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    const exact = this.exacts.get(path);
    if (exact) return { handler: exact, segment: '', template: path };
    for (const [prefix, handler, known] of this.segments) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      if (!rest || rest.includes('/')) continue;
      try {
        // The original case: Odoo's service names are lower-case, but a wrong one must be named as sent.
        const original = (q >= 0 ? url.slice(0, q) : url).replace(/\/$/, '').slice(prefix.length);
        return { handler, segment: decodeURIComponent(original), template: prefix + (known.has(rest) ? rest : ':segment') };
      } catch {
        return null; // a malformed escape: express answers it
      }
    }
    for (const [prefix, handler] of this.prefixes) if (path.startsWith(prefix)) return { handler, segment: '', template: prefix + '*' };
    return null;
  }
}

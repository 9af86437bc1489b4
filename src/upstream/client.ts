/**
 * The upstream Odoo (ODOO_URL): one keep-alive connection pool, a timeout on every call.
 *
 * Two ways to call it. `post` sends a request body as the client sent it and hands back
 * Odoo's answer as Odoo sent it (status, content type, bytes): XML-RPC, JSON-RPC and web
 * call_kw are forwarded unchanged this way, so nothing is decoded and encoded again and a
 * fault reaches the client exactly as Odoo wrote it. `jsonRpc` is for the calls the sidecar
 * makes itself (opening an Odoo web session, JSON-2 calls run as execute_kw on an Odoo 17):
 * jayson's JSON-RPC client over the same pool.
 */
import http from 'node:http';
import https from 'node:https';
import jayson from 'jayson';

export interface UpstreamAnswer {
  status: number;
  contentType: string;
  /** The session_id cookie Odoo set, if any. */
  sessionId: string | null;
  body: Buffer;
}

/** What an Odoo JSON-RPC error carries (odoo/http.py serialize_exception). */
export interface UpstreamJsonRpcError {
  code: number;
  message: string;
  data?: { name?: string; message?: string; arguments?: unknown[]; context?: Record<string, unknown>; debug?: string };
}

export interface UpstreamJsonRpcAnswer {
  result?: unknown;
  error?: UpstreamJsonRpcError;
  sessionId: string | null;
}

/** The upstream could not be reached or did not answer in time. */
export class UpstreamUnavailable extends Error {}

function sessionIdOf(setCookie: string[] | undefined): string | null {
  for (const cookie of setCookie ?? []) {
    const m = /^session_id=([^;]*)/.exec(cookie);
    if (m) return m[1];
  }
  return null;
}

export class UpstreamOdoo {
  readonly url: URL;
  private readonly agent: http.Agent;
  private readonly request: typeof http.request;
  private readonly secure: boolean;

  constructor(baseUrl: string, readonly timeoutMs: number) {
    this.url = new URL(baseUrl);
    const secure = (this.secure = this.url.protocol === 'https:');
    this.agent = secure ? new https.Agent({ keepAlive: true, maxSockets: 64 }) : new http.Agent({ keepAlive: true, maxSockets: 64 });
    this.request = secure ? https.request : http.request;
  }

  private options(path: string, headers: Record<string, string>): http.RequestOptions {
    return {
      protocol: this.url.protocol,
      hostname: this.url.hostname,
      port: this.url.port || undefined,
      path,
      method: 'POST',
      agent: this.agent,
      timeout: this.timeoutMs,
      headers,
    };
  }

  /** POSTs `body` to `path` and returns Odoo's whole answer. */
  post(path: string, body: string | Buffer, headers: Record<string, string>): Promise<UpstreamAnswer> {
    return new Promise((resolve, reject) => {
      const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      const req = this.request(this.options(path, { ...headers, 'Content-Length': String(payload.length) }), (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({
          status: res.statusCode ?? 502,
          contentType: String(res.headers['content-type'] ?? 'application/octet-stream'),
          sessionId: sessionIdOf(res.headers['set-cookie']),
          body: Buffer.concat(chunks),
        }));
        res.on('error', (err) => reject(new UpstreamUnavailable(err.message)));
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.on('error', (err) => reject(new UpstreamUnavailable(err.message)));
      req.end(payload);
    });
  }

  /** A JSON-RPC call ({"method": "call", "params": …}) to `path`, with jayson's client. */
  jsonRpc(path: string, params: Record<string, unknown>, headers: Record<string, string> = {}): Promise<UpstreamJsonRpcAnswer> {
    return new Promise((resolve, reject) => {
      const options = this.options(path, headers) as jayson.HttpClientOptions & jayson.HttpsClientOptions;
      const client = this.secure ? jayson.client.https(options) : jayson.client.http(options);
      let sessionId: string | null = null;
      client.on('http response', (res: http.IncomingMessage) => {
        sessionId = sessionIdOf(res.headers['set-cookie']);
      });
      client.request('call', params, (err: unknown, response: unknown) => {
        if (err) return reject(new UpstreamUnavailable(String((err as Error).message ?? err)));
        const answer = response as { result?: unknown; error?: UpstreamJsonRpcError } | undefined;
        resolve({ result: answer?.result, error: answer?.error, sessionId });
      });
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

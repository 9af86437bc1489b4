/**
 * Odoo's JSON-RPC envelope (type='json' routes, odoo/http.py JsonRPCDispatcher), shared by
 * /jsonrpc and the /web/* endpoints: {"jsonrpc": "2.0", "method": "call", "params": {...},
 * "id": n} in; {"jsonrpc": "2.0", "id": n, "result": value} or {…, "error": {...}} out.
 * A None result sends neither key. A body that is not JSON is an HTTP 400 "Invalid JSON
 * data", one that is not an object a 400 "Invalid JSON-RPC data", as Odoo answers.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { AppContext } from '../context';
import { PythonError } from '../errors';
import { readRpcBody } from './body';
import { jsonRpcError, SessionExpired } from './errors';
import { encodeJson } from './json-encode';
import { Forwarded, sendForwarded } from '../upstream/forward';

/** Containers nested deeper than this are refused before parsing (JSON.parse would take them). */
export const MAX_JSON_DEPTH = 128;

/** The nesting depth of a JSON text, counted without parsing it. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) max = depth;
    } else if (c === 93 || c === 125) depth--;
  }
  return max;
}

export interface JsonCall {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, unknown>;
  /** The request body as the client sent it (forwarded unchanged to an upstream Odoo). */
  text: string;
}

export type JsonEndpoint = (call: JsonCall) => Promise<unknown>;

/** A plain-text answer (Odoo's HTML error pages for bodies it cannot read). */
export function sendText(res: ServerResponse, status: number, type: string, text: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function reply(res: ServerResponse, id: unknown, outcome: { result: unknown } | { error: unknown }): void {
  const body: Record<string, unknown> = { jsonrpc: '2.0', id };
  if ('error' in outcome) body.error = outcome.error;
  else if (outcome.result !== null && outcome.result !== undefined) body.result = outcome.result;
  sendText(res, 200, 'application/json; charset=utf-8', encodeJson(body));
}

export function jsonRoute(ctx: AppContext, endpoint: JsonEndpoint) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let id: unknown = null;
    try {
      const text = await readRpcBody(req, res, ctx.config.maxBodyBytes);
      // A text nests at most as deep as it is long: most requests need no scan.
      if (text.length > MAX_JSON_DEPTH && jsonDepth(text) > MAX_JSON_DEPTH) {
        throw new PythonError('RecursionError', 'maximum recursion depth exceeded while decoding a JSON document');
      }
      let request: unknown;
      try {
        request = JSON.parse(text);
      } catch {
        sendText(res, 400, 'text/html; charset=utf-8', 'Invalid JSON data');
        return;
      }
      if (!request || typeof request !== 'object' || Array.isArray(request)) {
        sendText(res, 400, 'text/html; charset=utf-8', 'Invalid JSON-RPC data');
        return;
      }
      const envelope = request as Record<string, unknown>;
      id = envelope.id ?? null;
      const params = envelope.params ?? {};
      if (typeof params !== 'object' || Array.isArray(params)) {
        throw new PythonError('TypeError', `'${Array.isArray(params) ? 'list' : typeof params}' object is not a mapping`);
      }
      const result = await endpoint({ req, res, params: params as Record<string, unknown>, text });
      if (result instanceof Forwarded) return sendForwarded(res, result);
      reply(res, id, { result });
    } catch (err) {
      // Odoo checks the session before it reads the request id: such errors carry id null.
      reply(res, err instanceof SessionExpired ? null : id, { error: jsonRpcError(err) });
    }
  };
}

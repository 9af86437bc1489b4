/**
 * Odoo 19's JSON-2 API over the sidecar's Odoo 17 data (addons/rpc/controllers/json2.py and
 * odoo/http.py's Json2Dispatcher, odoo/odoo 19.0):
 *
 *     POST /json/2/<model>/<method>     Authorization: bearer <API key>
 *     {"ids": [...], "context": {...}, "<param>": value, ...}   →   the result, as JSON
 *
 * Errors answer with an HTTP status and serialize_exception's body (errors.ts). Every other
 * request under /json/2 is a 404 "Did you mean POST /json/2/<model>/<method>?". The call goes
 * through executeKw, as XML-RPC, JSON-RPC and the web routes do: same access checks, same data.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Router } from 'express';
import { AppContext } from '../../context';
import { PythonError } from '../../errors';
import { forwardJson2 } from '../../upstream/json2';
import { readRpcBody } from '../body';
import { encodeJson } from '../json-encode';
import { jsonDepth, MAX_JSON_DEPTH } from '../jsonrpc';
import { sendNotFoundPage } from '../not-found';
import { badRequest, notFound } from '../http-exceptions';
import { RpcRoutes } from '../routes';
import { json2Caller, NoSuchDatabase } from './auth';
import { callJson2 } from './call';
import { servesCall } from '../../orm/serves';
import { json2Error } from './errors';

const DID_YOU_MEAN = 'Did you mean POST /json/2/<model>/<method>?';
const RPC_PATH = /^\/json\/2\/([^/]+)\/([^/]+)$/;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = encodeJson(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, err: unknown): void {
  if (err instanceof NoSuchDatabase) return sendNotFoundPage(res);
  const answer = json2Error(err);
  send(res, answer.status, answer.body, answer.headers);
}

/** Python's json error text for a body JSON.parse refused ("Expecting value: line 1 column 1 (char 0)"). */
function jsonErrorText(text: string, err: unknown): string {
  const at = /position (\d+)/.exec(String((err as Error).message));
  const pos = at ? Number(at[1]) : text.length;
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return `Expecting value: line ${line} column ${column} (char ${pos})`;
}

/** The JSON-2 body: an object's keys are the parameters; any other JSON value gives none, as Odoo's `jsonrequest | args`. */
function parseBody(text: string): Record<string, unknown> {
  if (!text.length) return {};
  if (text.length > MAX_JSON_DEPTH && jsonDepth(text) > MAX_JSON_DEPTH) {
    throw new PythonError('RecursionError', 'maximum recursion depth exceeded while decoding a JSON document');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw badRequest(`could not parse the body as json: ${jsonErrorText(text, err)}`);
  }
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}

const mimetypeOf = (req: IncomingMessage) => String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();

async function handleRpc(ctx: AppContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const path = (req.url ?? '/').split('?')[0];
    const match = RPC_PATH.exec(path);
    if (!match) throw notFound(DID_YOU_MEAN);
    let model: string;
    let method: string;
    try {
      [model, method] = [decodeURIComponent(match[1]), decodeURIComponent(match[2])];
    } catch {
      throw notFound(DID_YOU_MEAN);
    }
    const text = await readRpcBody(req, res, ctx.config.maxBodyBytes);
    if (text.length && mimetypeOf(req) !== 'application/json') {
      throw badRequest("Request inferred type is compatible with ['http'] but '/json/2/<model>/<method>' is type='json2'.");
    }
    const caller = await json2Caller(ctx, req);
    // The path's model and method win over body keys of the same names (Odoo's `jsonrequest | args`).
    const { ids, context, model: _model, method: _method, ...kwargs } = parseBody(text);
    const call = { uid: caller.uid, model, method, ids, context, kwargs };
    const result = ctx.upstream && caller.apiKey && !(await servesCall(ctx, model, method))
      ? await forwardJson2(ctx, caller.apiKey, call)
      : await callJson2(ctx, call);
    send(res, 200, result ?? null);
  } catch (err) {
    sendError(res, err);
  }
}

/** POST /json/2 and /json/2/… in the RPC route table. */
export function addJson2Routes(ctx: AppContext, routes: RpcRoutes): void {
  routes.exact('/json/2', async (_req, res) => sendError(res, notFound(DID_YOU_MEAN)));
  routes.prefix('/json/2/', (req, res) => handleRpc(ctx, req, res));
}

/** The other methods (GET, PUT, DELETE, PATCH) on /json/2 and below: Odoo's catch-all 404. */
export function json2Router(): Router {
  const router = Router();
  router.all(['/json/2', '/json/2/*rest'], (_req, res) => sendError(res, notFound(DID_YOU_MEAN)));
  return router;
}


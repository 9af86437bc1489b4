/**
 * What the sidecar knows about the request (or job run) being served, wherever the code is:
 * its id (X-Request-Id, taken from the caller or made here, echoed in the answer), the user and
 * the model method once the transport or the ORM learns them. Every log line written while it
 * is served carries them (src/log.ts), and one line sums the request up when its answer is
 * sent. Carried by an AsyncLocalStorage, so no function between the transport and the ORM
 * passes it along.
 */
import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';

export interface RequestInfo {
  /** The caller's X-Request-Id when it is a sane token, else a fresh UUID; a job run's is `job:<name>:<uuid>`. */
  id: string;
  uid?: number;
  /** The Odoo model of an execute_kw / call_kw. */
  model?: string;
  /** The model method, or the RPC service method (`common.authenticate`), or the job. */
  method?: string;
}

const storage = new AsyncLocalStorage<RequestInfo>();

/** The request being served here, if any. */
export function currentRequest(): RequestInfo | undefined {
  return storage.getStore();
}

/** Records what the transport or the ORM learnt about the request (the user, the called method). */
export function noteRequest(facts: Omit<RequestInfo, 'id'>): void {
  const info = storage.getStore();
  if (info) Object.assign(info, facts);
}

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** A caller's id is taken when it is a short token (it goes into logs and headers as it is). */
const SANE_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** The caller's X-Request-Id if it is one we may repeat, else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  const value = Array.isArray(given) ? given[0] : given;
  return value && SANE_ID.test(value) ? value : randomUUID();
}

/**
 * Serves one HTTP request inside its context: the id is set on the answer before anything is
 * written, `summary` is called once when the answer is sent or the connection drops.
 */
export function serveRequest(
  req: IncomingMessage,
  res: ServerResponse,
  summary: (info: RequestInfo, req: IncomingMessage, res: ServerResponse, ms: number) => void,
  handler: () => void,
): void {
  const info: RequestInfo = { id: requestIdOf(req) };
  res.setHeader(REQUEST_ID_HEADER, info.id);
  const started = process.hrtime.bigint();
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    summary(info, req, res, Number(process.hrtime.bigint() - started) / 1e6);
  };
  res.once('finish', finish);
  res.once('close', finish);
  storage.run(info, handler);
}

/** Runs a job (or any work no request started) in a context of its own, so its log lines share an id. */
export function runInContext<T>(info: RequestInfo, fn: () => Promise<T>): Promise<T> {
  return storage.run(info, fn);
}

type Middleware<Req, Res> = (req: Req, res: Res, next: (err?: unknown) => void) => void;

/**
 * A middleware that calls `next` from a stream event (a body parser: it reads the body, then
 * calls next from the stream's 'end') would hand the rest of the chain the socket's context,
 * not the request's. Binding `next` to the request's context keeps it.
 */
export function keepRequestContext<Req, Res>(middleware: Middleware<Req, Res>): Middleware<Req, Res> {
  return (req, res, next) => middleware(req, res, AsyncResource.bind(next));
}

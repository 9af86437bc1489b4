/**
 * Thrown errors → Odoo 19's JSON-2 error answers (odoo/http.py Json2Dispatcher.handle_error):
 * the HTTP status is the exception's `http_status` (UserError and ValidationError 422,
 * AccessError and AccessDenied 403, MissingError 404, SessionExpiredException 403), a
 * werkzeug HTTPException's own code, 500 for anything else; the body is
 * serialize_exception(e): {name, message, arguments, context, debug}, where an HTTPException
 * gives its description as message and (description, code) as arguments.
 *
 * Unexpected errors go through sanitizeError (src/errors.ts), the one place every transport
 * turns them into Odoo errors, so nothing else reaches the answer.
 */
import { AccessDenied, AccessError, DatabaseUnavailable, MissingError, OdooError, sanitizeError, UserError } from '../../errors';
import { SessionExpired, traceback } from '../errors';
import { HttpException } from '../http-exceptions';

export interface Json2ErrorBody {
  name: string;
  message: string;
  arguments: unknown[];
  context: Record<string, unknown>;
  debug: string;
}

export interface Json2ErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: Json2ErrorBody;
}

/** Odoo 19's http_status of an exception (odoo/exceptions.py, odoo/http.py). */
export function httpStatusOf(err: OdooError): number {
  if (err instanceof HttpException) return err.code;
  if (err instanceof MissingError) return 404;
  if (err instanceof AccessError || err instanceof AccessDenied || err instanceof SessionExpired) return 403;
  if (err instanceof UserError) return 422;
  if (err instanceof DatabaseUnavailable) return 503;
  return 500;
}

/** An error an upstream Odoo answered for a forwarded JSON-2 call: sent as it came, with its status. */
export class UpstreamFault extends Error {
  constructor(readonly status: number, readonly body: Json2ErrorBody) {
    super(body.message);
  }
}

export function json2Error(thrown: unknown): Json2ErrorAnswer {
  if (thrown instanceof UpstreamFault) return { status: thrown.status, headers: {}, body: thrown.body };
  const err = sanitizeError(thrown);
  const status = httpStatusOf(err);
  if (err instanceof HttpException) {
    return {
      status,
      headers: err.headers,
      body: { name: err.pythonName, message: err.description, arguments: [err.description, err.code], context: {}, debug: traceback(err) },
    };
  }
  const headers: Record<string, string> = err instanceof DatabaseUnavailable ? { 'Retry-After': String(err.retryAfter) } : {};
  return { status, headers, body: { name: err.pythonName, message: err.message, arguments: [err.message], context: {}, debug: traceback(err) } };
}

/**
 * The JSON-2 status of an error Odoo 17 answered over JSON-RPC (its `data.name`): what an
 * Odoo 19 would have answered for the same exception, for calls forwarded upstream.
 */
export function statusOfErrorName(name: string): number {
  switch (name) {
    case 'odoo.exceptions.UserError':
    case 'odoo.exceptions.ValidationError':
      return 422;
    case 'odoo.exceptions.AccessError':
    case 'odoo.exceptions.AccessDenied':
    case 'odoo.http.SessionExpiredException':
      return 403;
    case 'odoo.exceptions.MissingError':
      return 404;
    default:
      return 500;
  }
}

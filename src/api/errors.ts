import { Response } from 'express';
import { AccessDenied, AccessError, DatabaseUnavailable, InternalError, MissingError, OdooError, PythonError, sanitizeError, UserError } from '../errors';

/** REST error body: {error: {code, message}}, with the HTTP status that fits. */
export class ApiError extends Error {
  /** retryAfter: seconds, sent as Retry-After (a 503 the client should try again). */
  constructor(readonly status: number, readonly code: string, message: string, readonly retryAfter?: number) {
    super(message);
  }
}

export function sendApiError(res: Response, err: ApiError): void {
  if (err.retryAfter !== undefined) res.setHeader('Retry-After', String(err.retryAfter));
  res.status(err.status).json({ error: { code: err.code, message: err.message } });
}

/** Odoo's errors as REST statuses: who may not (401/403), what is missing (404), what is wrong with the request (400). */
function fromOdoo(err: OdooError): ApiError {
  if (err instanceof DatabaseUnavailable) return new ApiError(503, 'database_unavailable', err.message, err.retryAfter);
  if (err instanceof InternalError) return new ApiError(500, 'internal_error', err.message);
  if (err instanceof AccessDenied) return new ApiError(401, 'unauthorized', err.message);
  if (err instanceof AccessError) return new ApiError(403, 'access_error', err.message);
  if (err instanceof MissingError) return new ApiError(404, 'not_found', err.message.split('\n')[0]);
  if (err instanceof UserError) return new ApiError(400, 'user_error', err.message);
  if (err instanceof PythonError) return new ApiError(400, 'invalid_request', `${err.pythonType}: ${err.message}`);
  return new ApiError(500, 'internal_error', err.message);
}

/**
 * The error handler of every express router (REST, hooks): ApiErrors as they are, body-parser
 * refusals as 400/413, Odoo's errors by their kind, anything else through sanitizeError (logged
 * with the request id, answered 500 without SQL, stack or path).
 */
export function sendError(res: Response, err: unknown): void {
  if (res.headersSent) {
    // Too late for an error body: log it and cut the answer short.
    sanitizeError(err);
    res.destroy();
    return;
  }
  if (err instanceof ApiError) return sendApiError(res, err);
  const e = err as { type?: string; status?: number; expose?: boolean; message?: string };
  if (e?.type === 'entity.parse.failed') return sendApiError(res, new ApiError(400, 'invalid_json', 'Malformed JSON body'));
  if (e?.type === 'entity.too.large') return sendApiError(res, new ApiError(413, 'body_too_large', 'Request body too large'));
  // The body parser's other refusals (an unsupported charset or encoding, an aborted body): its own safe text.
  if (e?.expose && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return sendApiError(res, new ApiError(e.status, 'invalid_body', e.message ?? 'Bad request body'));
  }
  sendApiError(res, fromOdoo(sanitizeError(err)));
}

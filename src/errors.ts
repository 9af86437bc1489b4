import { log } from './log';
import { currentRequest } from './request-context';

/**
 * Odoo's exception classes, as the wire sees them.
 *
 * The ORM and the models throw these; the transports (rpc/errors.ts) turn them into
 * XML-RPC faults and JSON-RPC error objects exactly as Odoo 17 does. `pythonName` is the
 * dotted class name Odoo puts in JSON-RPC `data.name`; `faultCode` is the XML-RPC code
 * (1 application error, 2 warning, 3 AccessDenied, 4 AccessError).
 */
export abstract class OdooError extends Error {
  abstract readonly pythonName: string;
  abstract readonly faultCode: 1 | 2 | 3 | 4;
}

/** odoo.exceptions.UserError: a business rule said no. */
export class UserError extends OdooError {
  readonly pythonName: string = 'odoo.exceptions.UserError';
  readonly faultCode = 2 as const;
}

/** odoo.exceptions.ValidationError: a constraint failed. */
export class ValidationError extends UserError {
  override readonly pythonName = 'odoo.exceptions.ValidationError';
}

/** odoo.exceptions.MissingError: a record does not exist or was deleted. */
export class MissingError extends UserError {
  override readonly pythonName = 'odoo.exceptions.MissingError';
}

/** odoo.exceptions.AccessError: the user may not do this (access rights, record rules, private methods). */
export class AccessError extends OdooError {
  readonly pythonName = 'odoo.exceptions.AccessError';
  readonly faultCode = 4 as const;
}

/** odoo.exceptions.AccessDenied: wrong credentials. Its message is always "Access Denied". */
export class AccessDenied extends OdooError {
  readonly pythonName = 'odoo.exceptions.AccessDenied';
  readonly faultCode = 3 as const;
  constructor(message = 'Access Denied') {
    super(message);
  }
}

/**
 * A Python exception that is not an Odoo exception (ValueError, TypeError, KeyError, …).
 * Odoo answers these with fault code 1 and a traceback whose last line is `Type: message`.
 * `pythonType` is the class name as a traceback prints it: bare for builtins ("ValueError"),
 * dotted otherwise ("xml.parsers.expat.ExpatError").
 */
export class PythonError extends OdooError {
  readonly faultCode = 1 as const;
  constructor(readonly pythonType: string, message: string) {
    super(message);
  }
  /** JSON-RPC data.name: builtins are "builtins.ValueError", as Odoo's serialize_exception says. */
  get pythonName(): string {
    return this.pythonType.includes('.') ? this.pythonType : `builtins.${this.pythonType}`;
  }
}

/** Python's KeyError: str() of it is the repr of the key ("KeyError: 'x'"), its message the key. */
export class PythonKeyError extends PythonError {
  constructor(readonly key: string) {
    super('KeyError', key);
  }
}

export const valueError = (message: string) => new PythonError('ValueError', message);
export const typeError = (message: string) => new PythonError('TypeError', message);
export const keyError = (key: string) => new PythonKeyError(key);

/**
 * An error the code did not expect (a bug, a failing query, a lost connection), as an answer
 * shows it: the Python class (Exception, or psycopg2's DatabaseError for a database failure, with
 * its SQLSTATE) and the request id under which the log holds the rest. Never SQL text, a stack
 * or a file path.
 */
export class InternalError extends PythonError {}

/**
 * The database cannot take the request now: no pooled connection freed in time (knex's
 * acquire timeout), the server refuses connections (too many, starting, shutting down), or
 * the connection is gone. Odoo answers these as psycopg2's OperationalError (its pool's
 * "The Connection Pool Is Full" among them); REST and JSON-2 answer 503 with Retry-After, so
 * a balancer or a till retries instead of counting a failure of the request itself.
 */
export class DatabaseUnavailable extends InternalError {
  /** Seconds a client should wait before trying again. */
  readonly retryAfter = 1;
}

/** SQLSTATEs of a database that cannot serve now: class 08 (connection), 53300, 57P01..57P03. */
const UNAVAILABLE_SQLSTATE = /^(08...|53300|57P0[123])$/;
/** Socket errors of a connection that could not be made or was cut. */
const UNAVAILABLE_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

function databaseUnavailable(e: Error & { code?: unknown }, sqlState: string | null): boolean {
  if (e.name === 'KnexTimeoutError') return true;
  if (sqlState) return UNAVAILABLE_SQLSTATE.test(sqlState);
  return typeof e.code === 'string' && UNAVAILABLE_SOCKET.has(e.code);
}

/**
 * The one gate between a thrown error and an answer, for every transport (XML-RPC, JSON-RPC, the
 * web routes, JSON-2, REST, hooks) and the jobs: Odoo's own errors pass as they are; anything
 * else is logged once, with its stack and the request id, and replaced by an InternalError.
 */
export function sanitizeError(err: unknown): OdooError {
  if (err instanceof OdooError) return err;
  const e = (err ?? {}) as Error & { code?: unknown; severity?: unknown };
  const sqlState = typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && e.severity ? e.code : null;
  const id = currentRequest()?.id ?? 'none';
  const where = `see the sidecar's log, request id ${id}`;
  if (databaseUnavailable(e, sqlState)) {
    // An overload or an outage, not a bug: one line per request, no stack.
    log.warn('database unavailable', { error: e.message ?? String(err), sqlstate: sqlState ?? undefined });
    return new DatabaseUnavailable('psycopg2.OperationalError', `the database is unavailable, try again shortly (${where})`);
  }
  log.error('unexpected error', { error: e.message ?? String(err), sqlstate: sqlState ?? undefined, stack: e.stack });
  return sqlState
    ? new InternalError('psycopg2.errors.DatabaseError', `database error ${sqlState} (${where})`)
    : new InternalError('Exception', `internal error (${where})`);
}

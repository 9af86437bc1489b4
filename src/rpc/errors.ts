/**
 * Thrown errors → Odoo 17's wire errors.
 *
 * XML-RPC (/xmlrpc/2): UserError family → fault 2 with str(e); AccessDenied → 3; AccessError
 * → 4; anything else → fault 1 whose string is a Python traceback ending in `Type: str(e)`
 * (odoo/addons/base/controllers/rpc.py xmlrpc_handle_exception_int). The legacy /xmlrpc
 * puts a string in faultCode instead (xmlrpc_handle_exception_string). JSON-RPC: an error
 * object {code: 200, message: "Odoo Server Error", data: serialize_exception(e)}; a session
 * problem is code 100 "Odoo Session Expired" (odoo/http.py). Errors that are not Odoo's pass
 * through sanitizeError (src/errors.ts) first: logged, and answered without SQL, stack or path.
 */
import { AccessDenied, AccessError, MissingError, OdooError, PythonError, PythonKeyError, sanitizeError, UserError } from '../errors';
import { pyStrRepr } from './values';
import { encodeFault } from './xml/codec';

/** odoo.http.SessionExpiredException: a web call without a valid session. */
export class SessionExpired extends OdooError {
  readonly pythonName = 'odoo.http.SessionExpiredException';
  readonly faultCode = 1 as const;
  constructor() {
    super('Session expired');
  }
}

/** Python's str(e): what a traceback's last line and a warning fault show. */
export function pyStr(err: OdooError): string {
  return err instanceof PythonKeyError ? pyStrRepr(err.key) : err.message;
}

/** The class name as a traceback prints it (bare for builtins, dotted otherwise). */
function tracebackName(err: OdooError): string {
  return err instanceof PythonError ? err.pythonType : err.pythonName;
}

/** A Python-shaped traceback; clients (and the corpus) read its last line. */
export function traceback(err: OdooError, where = 'dispatch_rpc'): string {
  const text = pyStr(err);
  return `Traceback (most recent call last):\n  File "sidecar/rpc", line 1, in ${where}\n${tracebackName(err)}${text ? ': ' + text : ''}\n`;
}

/** The XML body of an /xmlrpc/2 fault (integer codes). */
export function xmlrpcFault(thrown: unknown): string {
  const err = sanitizeError(thrown);
  if (err instanceof PythonError || err.faultCode === 1) return encodeFault(1, traceback(err));
  return encodeFault(err.faultCode, pyStr(err));
}

/** The XML body of a legacy /xmlrpc fault (string codes). */
export function legacyXmlrpcFault(thrown: unknown): string {
  const err = sanitizeError(thrown);
  const text = pyStr(err);
  if (err instanceof MissingError) return encodeFault(`warning -- MissingError\n\n${text}`, '');
  if (err instanceof AccessError) return encodeFault(`warning -- AccessError\n\n${text}`, '');
  if (err instanceof AccessDenied) return encodeFault('AccessDenied', text);
  if (err instanceof UserError) return encodeFault(`warning -- UserError\n\n${text}`, '');
  return encodeFault(err.message, traceback(err));
}

export interface JsonRpcError {
  code: number;
  message: string;
  data: { name: string; debug: string; message: string; arguments: unknown[]; context: Record<string, unknown> };
}

/** The `error` member of a JSON-RPC answer. */
export function jsonRpcError(thrown: unknown): JsonRpcError {
  const err = sanitizeError(thrown);
  // Odoo's data.message is the exception's args joined (exception_to_unicode): the bare key for KeyError.
  const data = { name: err.pythonName, debug: traceback(err), message: err.message, arguments: [err.message], context: {} };
  if (err instanceof SessionExpired) return { code: 100, message: 'Odoo Session Expired', data };
  return { code: 200, message: 'Odoo Server Error', data };
}

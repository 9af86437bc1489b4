/**
 * werkzeug's HTTP exceptions as Odoo raises them (NotFound, Unauthorized, …): a Python
 * exception whose str() is "<code> <name>: <description>", with an HTTP status. The XML-RPC
 * and JSON-RPC transports show them as any other Python exception; JSON-2 answers them with
 * their own status, `message` the description and `arguments` [description, code], as Odoo
 * 19's Json2Dispatcher.handle_error does.
 */
import { PythonError } from '../errors';

const NAMES: Record<number, [string, string]> = {
  400: ['BadRequest', 'Bad Request'],
  401: ['Unauthorized', 'Unauthorized'],
  403: ['Forbidden', 'Forbidden'],
  404: ['NotFound', 'Not Found'],
  413: ['RequestEntityTooLarge', 'Request Entity Too Large'],
  422: ['UnprocessableEntity', 'Unprocessable Entity'],
};

export class HttpException extends PythonError {
  constructor(
    readonly code: 400 | 401 | 403 | 404 | 413 | 422,
    readonly description: string,
    /** Headers the answer carries besides its content type (Unauthorized's WWW-Authenticate). */
    readonly headers: Record<string, string> = {},
  ) {
    super(`werkzeug.exceptions.${NAMES[code][0]}`, `${code} ${NAMES[code][1]}: ${description}`);
  }
}

export const badRequest = (description: string) => new HttpException(400, description);
export const notFound = (description: string) => new HttpException(404, description);
export const unprocessable = (description: string) => new HttpException(422, description);
/** Unauthorized with werkzeug's WWWAuthenticate('bearer') header. */
export const unauthorizedBearer = (description: string) => new HttpException(401, description, { 'WWW-Authenticate': 'Bearer' });

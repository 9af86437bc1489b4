/**
 * Who a JSON-2 request runs as, as Odoo 19's auth='bearer' decides it (base ir.http
 * _auth_method_bearer) and which database it is for (http.py _get_session_and_dbname):
 *
 * - `Authorization: bearer <API key>` (scheme case-insensitive): the key's user, checked as
 *   res.users.apikeys._check_credentials(scope='rpc'): a key of scope rpc or of no scope, of an
 *   active user, not expired. A wrong key is a 401 "Invalid apikey" with WWW-Authenticate;
 *   a key of another user than the request's web session is an AccessDenied.
 * - no key: a web session cookie counts only for a browser's own navigation (the Sec-Fetch-*
 *   headers, against CSRF), else AccessDenied; no session either is a 401.
 * - `X-Odoo-Database` names the database; one the sidecar does not serve is a request for no
 *   database, where no JSON-2 route exists (404). It may not contradict the session's.
 */
import { requestAddress } from '../../http/addresses';
import { IncomingMessage } from 'node:http';
import { AppContext } from '../../context';
import { AccessDenied } from '../../errors';
import { checkBearer } from '../../auth/credentials';
import { findSession, sessionIdFromCookie, WebSession } from '../sessions';
import { HttpException, unauthorizedBearer } from '../http-exceptions';

/** The request names a database this sidecar does not serve: answered as Odoo answers a path with no route. */
export class NoSuchDatabase extends Error {}

export interface Json2Caller {
  uid: number;
  /** The API key the caller authenticated with (forwarded upstream as the caller's password). */
  apiKey: string | null;
}

const BEARER = /^bearer\s+(.+)$/i;

function secFetchNavigation(req: IncomingMessage): boolean {
  const h = req.headers;
  return h['sec-fetch-dest'] === 'document' && h['sec-fetch-mode'] === 'navigate'
    && (h['sec-fetch-site'] === 'none' || h['sec-fetch-site'] === 'same-origin') && h['sec-fetch-user'] === '?1';
}

export async function json2Caller(ctx: AppContext, req: IncomingMessage): Promise<Json2Caller> {
  const headerDb = req.headers['x-odoo-database'];
  const sid = sessionIdFromCookie(req.headers.cookie);
  const session: WebSession | null = sid ? await findSession(ctx.db.knex, sid) : null;
  if (session && session.db === ctx.dbName) {
    if (headerDb !== undefined && headerDb !== session.db) {
      throw new HttpException(403, 'Cannot use both the session_id cookie and the x-odoo-database header.');
    }
  } else if (headerDb !== undefined && headerDb !== ctx.dbName) {
    throw new NoSuchDatabase();
  }
  const sessionUid = session && session.db === ctx.dbName ? session.uid : null;
  const token = BEARER.exec(String(req.headers.authorization ?? ''))?.[1];
  if (token) {
    let uid: number;
    try {
      uid = await checkBearer(ctx.db.knex, token, { remoteAddr: requestAddress(req, ctx.config) });
    } catch (err) {
      if (err instanceof AccessDenied) throw unauthorizedBearer('Invalid apikey');
      throw err;
    }
    if (sessionUid !== null && sessionUid !== uid) throw new AccessDenied('Session user does not match the used apikey');
    return { uid, apiKey: token };
  }
  if (sessionUid === null) throw unauthorizedBearer('User not authenticated, use the "Authorization" header');
  if (!secFetchNavigation(req)) throw new AccessDenied('Missing "Authorization" or Sec-headers for interactive usage');
  return { uid: sessionUid, apiKey: null };
}

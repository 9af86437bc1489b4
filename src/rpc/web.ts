/**
 * The web client's endpoints Odoo clients use: /web/session/authenticate,
 * /web/session/get_session_info, /web/session/destroy, /web/dataset/call_kw[/<anything>],
 * /web/webclient/version_info. Sessions live in PostgreSQL (sessions.ts), identified by the
 * session_id cookie.
 */
import { requestAddress } from '../http/addresses';
import { IncomingMessage, ServerResponse } from 'node:http';
import { AppContext } from '../context';
import { AccessError } from '../errors';
import { login } from '../auth/credentials';
import { executeKw } from '../orm/call';
import { checkKeywords } from './arity';
import { SessionExpired } from './errors';
import { jsonRoute } from './jsonrpc';
import { RpcRoutes } from './routes';
import { sessionInfo, userContext } from './session-info';
import { createSession, deleteSession, findSession, SESSION_COOKIE, SESSION_LIFETIME_SECONDS, sessionIdFromCookie, WebSession } from './sessions';
import { modelAndMethod, starArgs, starStarKwargs, versionInfo } from './dispatch';

async function requireSession(ctx: AppContext, req: IncomingMessage): Promise<WebSession> {
  const session = await findSession(ctx.db.knex, sessionIdFromCookie(req.headers.cookie));
  if (!session || session.db !== ctx.dbName) throw new SessionExpired();
  return session;
}

function setSessionCookie(res: ServerResponse, sid: string, maxAge = SESSION_LIFETIME_SECONDS): void {
  const expires = new Date(Date.now() + maxAge * 1000).toUTCString();
  const previous = res.getHeader('Set-Cookie');
  const cookies = Array.isArray(previous) ? previous : previous === undefined ? [] : [String(previous)];
  res.setHeader('Set-Cookie', [...cookies, `${SESSION_COOKIE}=${sid}; Expires=${expires}; Max-Age=${maxAge}; HttpOnly; Path=/; SameSite=Lax`]);
}

/** The web endpoints, added to the RPC route table (routes.ts). */
export function addWebRoutes(ctx: AppContext, routes: RpcRoutes): void {
  const knex = ctx.db.knex;

  routes.exact('/web/session/authenticate', jsonRoute(ctx, async ({ req, res, params }) => {
    checkKeywords('Session.authenticate', ['db', 'login', 'password'], params);
    if (params.db !== ctx.dbName) throw new AccessError('Database not found.');
    const uid = await login(knex, params.login, params.password, { remoteAddr: requestAddress(req, ctx.config), interactive: true });
    const previous = sessionIdFromCookie(req.headers.cookie);
    if (previous) await deleteSession(knex, previous);
    const session = await createSession(knex, { uid, login: String(params.login), db: ctx.dbName, context: await userContext(knex, uid) });
    setSessionCookie(res, session.sid);
    return sessionInfo(knex, ctx.dbName, uid);
  }));

  routes.exact('/web/session/get_session_info', jsonRoute(ctx, async ({ req }) => {
    const session = await requireSession(ctx, req);
    return sessionInfo(knex, ctx.dbName, session.uid);
  }));

  routes.exact('/web/session/destroy', jsonRoute(ctx, async ({ req, res }) => {
    const session = await requireSession(ctx, req);
    await deleteSession(knex, session.sid);
    setSessionCookie(res, '', 0);
    return null;
  }));

  routes.exact('/web/webclient/version_info', jsonRoute(ctx, async () => versionInfo()));

  const callKw = jsonRoute(ctx, async ({ req, params }) => {
    const session = await requireSession(ctx, req);
    checkKeywords('DataSet.call_kw', ['model', 'method', 'args', 'kwargs'], params);
    const [model, method] = modelAndMethod(params.model, params.method);
    return executeKw(ctx, session.uid, model, method, starArgs('call_kw', params.args), starStarKwargs('call_kw', params.kwargs));
  });
  routes.exact('/web/dataset/call_kw', callKw);
  routes.prefix('/web/dataset/call_kw/', callKw);
}

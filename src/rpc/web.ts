/**
 * The web client's endpoints Odoo clients use, as Odoo 17's addons/web/controllers answer
 * them: /web/session/authenticate, get_session_info, check, modules, get_lang_list, destroy
 * (and the HTTP /web/session/logout, in express: logout.ts), /web/dataset/call_kw[/<anything>],
 * /web/dataset/call_button, /web/webclient/version_info. Sessions live in PostgreSQL
 * (sessions.ts), identified by the session_id cookie. With an upstream Odoo, calls the sidecar
 * does not serve go to Odoo as the caller's own Odoo session (upstream/web-session.ts).
 */
import { requestAddress } from '../http/addresses';
import { IncomingMessage, ServerResponse } from 'node:http';
import { AppContext } from '../context';
import { AccessError, keyError } from '../errors';
import { login } from '../auth/credentials';
import { executeKw } from '../orm/call';
import { checkKeywords } from './arity';
import { SessionExpired } from './errors';
import { jsonRoute } from './jsonrpc';
import { RpcRoutes } from './routes';
import { sessionInfo, userContext } from './session-info';
import { createSession, deleteSession, findSession, SESSION_COOKIE, SESSION_LIFETIME_SECONDS, sessionIdFromCookie, WebSession } from './sessions';
import { dispatchRpc, modelAndMethod, starArgs, starStarKwargs, versionInfo } from './dispatch';
import { getRegistry } from '../orm/registry';
import { servesCall } from '../orm/serves';
import { closeUpstreamSession, forwardWebCall, openUpstreamSession } from '../upstream/web-session';
import { installedModules } from './modules';

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
    await openUpstreamSession(ctx, session.sid, params as { db: unknown; login: unknown; password: unknown });
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
    closeUpstreamSession(ctx, session);
    setSessionCookie(res, '', 0);
    return null;
  }));

  // ir.http's auth="user" does the job: a valid session answers None.
  routes.exact('/web/session/check', jsonRoute(ctx, async ({ req }) => {
    await requireSession(ctx, req);
    return null;
  }));

  routes.exact('/web/session/modules', jsonRoute(ctx, async ({ req }) => {
    await requireSession(ctx, req);
    return installedModules(knex);
  }));

  // auth="none": db.list_lang, or Odoo's {error, title} when it fails.
  routes.exact('/web/session/get_lang_list', jsonRoute(ctx, async () => {
    try {
      return (await dispatchRpc(ctx, 'db', 'list_lang', [])) ?? [];
    } catch (err) {
      return { error: String((err as Error).message), title: 'Languages' };
    }
  }));

  routes.exact('/web/webclient/version_info', jsonRoute(ctx, async () => versionInfo()));

  /** DataSet._call_kw: request.env[model] (KeyError for a model Odoo does not have), then call_kw. */
  const callKw = (qualname: string, after: (result: unknown) => unknown) => jsonRoute(ctx, async ({ req, params, text }) => {
    const session = await requireSession(ctx, req);
    checkKeywords(qualname, ['model', 'method', 'args', 'kwargs'], params);
    const [model, method] = modelAndMethod(params.model, params.method);
    if (ctx.upstream && !(await servesCall(ctx, model, method))) return forwardWebCall(ctx, session, req, text, model, method);
    if (!(await getRegistry(ctx)).has(model)) throw keyError(model);
    return after(await executeKw(ctx, session.uid, model, method, starArgs('call_kw', params.args), starStarKwargs('call_kw', params.kwargs)));
  });
  const callKwRoute = callKw('DataSet.call_kw', (result) => result);
  routes.exact('/web/dataset/call_kw', callKwRoute);
  routes.prefix('/web/dataset/call_kw/', callKwRoute);
  // call_button: an action dict comes back cleaned (its type defaulted to closing the window), anything else is False.
  routes.exact('/web/dataset/call_button', callKw('DataSet.call_button', (result) => {
    if (!result || typeof result !== 'object' || Array.isArray(result)) return false;
    const action = result as Record<string, unknown>;
    if (action.type === '') return false;
    return { ...action, type: action.type ?? 'ir.actions.act_window_close' };
  }));
}

/**
 * Web sessions and the upstream Odoo. The sidecar's web sessions are its own (sidecar_session);
 * Odoo's are Odoo's. With ODOO_URL set, authenticating on the sidecar also opens an Odoo
 * session for the same database, login and password (Odoo checks them again), and its
 * session_id is kept on the sidecar's session row, never sent to the client. A web call the
 * sidecar does not serve goes to Odoo with that session: the caller's own user, rights and
 * session lifetime. Logging out of the sidecar logs out of Odoo too.
 */
import { IncomingMessage } from 'node:http';
import { AppContext } from '../context';
import { log } from '../log';
import { SessionExpired } from '../rpc/errors';
import { setUpstreamSession, WebSession } from '../rpc/sessions';
import { forwardRaw, Forwarded, timed } from './forward';

/** Opens the caller's Odoo session beside the sidecar session `sid` (a refusal or an outage leaves none). */
export async function openUpstreamSession(ctx: AppContext, sid: string, params: { db: unknown; login: unknown; password: unknown }): Promise<void> {
  const upstream = ctx.upstream;
  if (!upstream) return;
  try {
    const answer = await timed('web', 'res.users', 'authenticate',
      () => upstream.jsonRpc('/web/session/authenticate', { db: params.db, login: params.login, password: params.password }),
      (a) => (a.error ? 'fault' : 'ok'));
    const uid = (answer.result as { uid?: unknown } | undefined)?.uid;
    if (answer.sessionId && typeof uid === 'number') await setUpstreamSession(ctx.db.knex, sid, answer.sessionId);
    else log.warn('upstream: Odoo refused the web login the sidecar accepted', { error: answer.error?.data?.name });
  } catch (err) {
    log.warn('upstream: no Odoo web session', { reason: (err as Error).message });
  }
}

/** Ends the Odoo session kept beside a sidecar session (best effort: Odoo expires it anyway). */
export function closeUpstreamSession(ctx: AppContext, session: WebSession): void {
  if (!ctx.upstream || !session.upstreamSid) return;
  ctx.upstream.jsonRpc('/web/session/destroy', {}, { Cookie: `session_id=${session.upstreamSid}` })
    .catch((err) => log.warn('upstream: web logout failed', { reason: (err as Error).message }));
}

/** Forwards a web call as the caller's Odoo session; without one, Odoo's "session expired" makes the client log in again. */
export async function forwardWebCall(ctx: AppContext, session: WebSession, req: IncomingMessage, text: string, model: string, method: string): Promise<Forwarded> {
  if (!ctx.upstream || !session.upstreamSid) throw new SessionExpired();
  const forwarded = await forwardRaw(ctx.upstream, 'web', model, method, req, text, { Cookie: `session_id=${session.upstreamSid}` });
  // Odoo rotates a session's id now and then: follow it.
  const rotated = forwarded.answer.sessionId;
  if (rotated && rotated !== session.upstreamSid) await setUpstreamSession(ctx.db.knex, session.sid, rotated);
  return forwarded;
}

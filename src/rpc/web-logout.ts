/**
 * GET (or POST) /web/session/logout?redirect=/web: Odoo 17's type='http', auth='none' route.
 * The session is ended (and the upstream Odoo's beside it) and the browser is sent, with a
 * 303, to `redirect`, made local as Odoo's request.redirect makes it: another host's URL keeps
 * only its path, so the route cannot send users elsewhere.
 */
import { Router } from 'express';
import { AppContext } from '../context';
import { closeUpstreamSession } from '../upstream/web-session';
import { deleteSession, findSession, sessionIdFromCookie } from './sessions';

function localPath(target: unknown): string {
  if (typeof target !== 'string' || !target) return '/web';
  try {
    const url = new URL(target, 'http://local.invalid');
    return url.pathname + url.search + url.hash;
  } catch {
    return '/web';
  }
}

export function webLogoutRouter(ctx: AppContext): Router {
  const router = Router();
  router.all('/web/session/logout', async (req, res, next) => {
    try {
      const session = await findSession(ctx.db.knex, sessionIdFromCookie(req.headers.cookie));
      if (session) {
        await deleteSession(ctx.db.knex, session.sid);
        closeUpstreamSession(ctx, session);
      }
      res.status(303).set('Location', localPath(req.query.redirect)).type('text/html; charset=utf-8').send('');
    } catch (err) {
      next(err);
    }
  });
  return router;
}

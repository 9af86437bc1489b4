import { requestAddress } from '../http/addresses';
import { NextFunction, Request, Response } from 'express';
import { AppContext } from '../context';
import { authenticate, checkBearer } from '../auth/credentials';
import { AccessDenied } from '../errors';
import { ApiError, sendApiError } from './errors';
import { noteRequest } from '../request-context';

/** The authenticated user of a REST request, set by requireUser. */
export interface ApiLocals {
  uid: number;
}

/**
 * REST authentication with Odoo's own credentials: HTTP Basic login:password, or
 * `Authorization: Bearer <API key>` (an Odoo API key of scope rpc or any scope).
 */
export function requireUser(ctx: AppContext) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.headers.authorization ?? '';
    const remoteAddr = requestAddress(req, ctx.config);
    let uid: number | null = null;
    try {
      const basic = /^Basic\s+(.+)$/i.exec(header);
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (basic) {
        const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
        const sep = decoded.indexOf(':');
        if (sep > 0) uid = await authenticate(ctx.db.knex, decoded.slice(0, sep), decoded.slice(sep + 1), { remoteAddr });
      } else if (bearer) {
        uid = await checkBearer(ctx.db.knex, bearer[1], { remoteAddr });
      }
    } catch (err) {
      if (!(err instanceof AccessDenied)) return next(err);
    }
    if (uid === null) {
      res.setHeader('WWW-Authenticate', 'Basic realm="odoo-sidecar", Bearer');
      return sendApiError(res, new ApiError(401, 'unauthorized', 'Access Denied'));
    }
    (res.locals as ApiLocals).uid = uid;
    noteRequest({ uid });
    next();
  };
}

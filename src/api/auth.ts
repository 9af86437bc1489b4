import { NextFunction, Request, Response } from 'express';
import { AppContext } from '../context';
import { authenticate } from '../auth/credentials';
import { ApiError, sendApiError } from './errors';

/** The authenticated user of a REST request, set by requireUser. */
export interface ApiLocals {
  uid: number;
}

/**
 * REST authentication with Odoo's own credentials: HTTP Basic login:password, or
 * `Authorization: Bearer <API key>`.
 * TODO(rpc): Bearer API keys once src/auth knows them.
 */
export function requireUser(ctx: AppContext) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.headers.authorization ?? '';
    let uid: number | null = null;
    const basic = /^Basic\s+(.+)$/i.exec(header);
    if (basic) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const sep = decoded.indexOf(':');
      if (sep > 0) uid = await authenticate(ctx.db.knex, decoded.slice(0, sep), decoded.slice(sep + 1));
    }
    if (uid === null) {
      res.setHeader('WWW-Authenticate', 'Basic realm="odoo-sidecar", Bearer');
      return sendApiError(res, new ApiError(401, 'unauthorized', 'Access Denied'));
    }
    (res.locals as ApiLocals).uid = uid;
    next();
  };
}

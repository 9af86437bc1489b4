import { Request, Response, Router } from 'express';
import { AppContext } from '../context';
import { welcomePartners } from '../models/new-partners';
import { requireRecords, userEnv } from '../orm/access-path';
import { asApiError } from './ledger-errors';
import { acceptedInBackground, hookBody, hookIds, hookUid } from './hook-body';

/**
 * POST /hooks/partner-created {"ids": [...], "uid"}: partners Odoo just created get the
 * primary loyalty program's card and a referral code, in one transaction (in the background
 * with "wait": false). Idempotent: a partner that has them already gets nothing new.
 */
export function partnerHooks(ctx: AppContext): Router {
  const router = Router();
  router.post('/partner-created', async (req: Request, res: Response) => {
    const body = hookBody(req);
    const ids = hookIds(body);
    const uid = await hookUid(ctx, body);
    await requireRecords(userEnv(ctx, ctx.db.knex, uid), 'res.partner', 'read', ids).catch((err) => { throw asApiError(err); });
    const welcome = () => ctx.db.knex.transaction((trx) => welcomePartners(trx, ids, uid, new Date()));
    if (acceptedInBackground(body, res, 'partner-created', welcome)) return;
    const out = await welcome();
    res.status(out.cards || out.referral_codes ? 201 : 200).json(out);
  });
  return router;
}

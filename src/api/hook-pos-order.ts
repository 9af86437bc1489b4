import { Request, Response, Router } from 'express';
import { AppContext } from '../context';
import { PosOrderCoalescer } from '../orders/order-coalescer';
import { asApiError } from './ledger-errors';
import { requireRecords, userEnv } from '../orm/access-path';
import { acceptedInBackground, hookBody, hookIds, hookUid } from './hook-body';

/**
 * POST /hooks/pos-order {"id": <pos.order id>} or {"ids": [...]}, "uid": the user who paid:
 * processes paid orders, once each (201 when one was processed now, 200 when all had been;
 * 202 at once with "wait": false, the orders then processed in the background).
 * Concurrent hooks are processed together (PosOrderCoalescer), one batch per acting user.
 */
export function posOrderHooks(ctx: AppContext): Router {
  const router = Router();
  const coalescers = new Map<number, PosOrderCoalescer>();
  const coalescer = (uid: number) => {
    let c = coalescers.get(uid);
    if (!c) coalescers.set(uid, (c = new PosOrderCoalescer(ctx, { source: 'hook', uid })));
    return c;
  };
  router.post('/pos-order', async (req: Request, res: Response) => {
    const body = hookBody(req);
    const ids = hookIds(body);
    const uid = await hookUid(ctx, body);
    // The acting user must be able to read the orders (Odoo's access rights and record rules).
    await requireRecords(userEnv(ctx, ctx.db.knex, uid), 'pos.order', 'read', ids).catch((err) => { throw asApiError(err); });
    const orders = coalescer(uid);
    if (acceptedInBackground(body, res, 'pos-order', () => Promise.all(ids.map((id) => orders.process(id))))) return;
    const outcomes = await Promise.all(ids.map((id) => orders.process(id))).catch((err) => { throw asApiError(err); });
    const status = outcomes.some((o) => o.processed) ? 201 : 200;
    res.status(status).json(body.ids === undefined ? outcomes[0] : { orders: outcomes });
  });
  return router;
}

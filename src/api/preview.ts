import { Request, Response, Router } from 'express';
import { AppContext } from '../context';
import { UserError } from '../errors';
import { loyaltyPreview, PreviewRefused } from '../models/loyalty/preview';
import { ApiLocals } from './auth';
import { ApiError } from './errors';

/**
 * POST /orders/preview: what the loyalty engine gives an order (same JSON as the RPC
 * pos.order.loyalty_preview). Writes nothing. 400: the order is malformed (unknown product,
 * negative quantity…); 422: a claimed reward the order cannot take.
 */
export function previewRouter(ctx: AppContext): Router {
  const router = Router();
  router.post('/orders/preview', async (req: Request, res: Response) => {
    const uid = (res.locals as ApiLocals).uid;
    try {
      // A transaction of its own, as an RPC call gets: the preview reads one consistent state.
      res.json(await ctx.db.knex.transaction((cr) => loyaltyPreview({ cr, uid, context: {}, app: ctx }, req.body)));
    } catch (e) {
      if (e instanceof PreviewRefused) throw new ApiError(422, e.code, e.message);
      if (e instanceof UserError) throw new ApiError(400, 'invalid_order', e.message);
      throw e;
    }
  });
  return router;
}

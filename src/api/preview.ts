import { Request, Response, Router } from 'express';
import { Knex } from 'knex';
import { AppContext } from '../context';
import { UserError } from '../errors';
import { loyaltyPreview, PreviewRefused } from '../models/loyalty/preview';
import { ApiLocals } from './auth';
import { ApiError } from './errors';
import { asApiError } from './ledger-errors';

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
      // No transaction: the per-request state is read by one statement (one snapshot), the
      // program definitions come from the cache (src/models/loyalty/load.ts).
      res.json(await loyaltyPreview({ cr: ctx.db.knex as unknown as Knex.Transaction, uid, context: {}, app: ctx }, req.body));
    } catch (e) {
      if (e instanceof PreviewRefused) throw new ApiError(422, e.code, e.message);
      if (e instanceof UserError) throw new ApiError(400, 'invalid_order', e.message);
      throw asApiError(e);
    }
  });
  return router;
}

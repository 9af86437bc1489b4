import { Request, Response, Router } from 'express';
import { AppContext } from '../context';
import { processExternalOrder } from '../orders/process-external-order';
import { processPosOrder } from '../orders/process-pos-order';
import { ApiLocals } from './auth';
import { ApiError } from './errors';
import { idempotentWrite } from './idempotency';
import { asApiError } from './ledger-errors';
import { requireAccess } from './model-access';
import { externalOrderSchema } from './schemas';
import { validator } from './validate';

const parseOrder = validator(externalOrderSchema);

/**
 * POST /orders: an external order, applied once per reference (201 the first time, 200 with
 * the first result afterwards). POST /pos-orders/:id/process: a paid POS order, once.
 */
export function ordersRouter(ctx: AppContext): Router {
  const router = Router();

  router.post('/orders', async (req: Request, res: Response) => {
    const uid = (res.locals as ApiLocals).uid;
    const body = parseOrder(req.body);
    await requireAccess(ctx, uid, 'loyalty.card', 'write');
    const answer = await idempotentWrite(ctx, req, uid, async (cr) => {
      const out = await processExternalOrder(cr, body, { uid, now: new Date(), app: ctx });
      return { status: out.processed ? 201 : 200, body: out };
    }).catch((err) => { throw asApiError(err); });
    res.status(answer.status).json(answer.body);
  });

  router.post('/pos-orders/:id/process', async (req: Request, res: Response) => {
    const uid = (res.locals as ApiLocals).uid;
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || id < 1) throw new ApiError(400, 'invalid_request', 'order id must be a positive integer');
    await requireAccess(ctx, uid, 'loyalty.card', 'write');
    const answer = await idempotentWrite(ctx, req, uid, async (cr) => {
      const out = await processPosOrder(cr, id, { source: 'api', uid, now: new Date(), app: ctx });
      return { status: out.processed ? 201 : 200, body: out };
    }).catch((err) => { throw asApiError(err); });
    res.status(answer.status).json(answer.body);
  });

  return router;
}

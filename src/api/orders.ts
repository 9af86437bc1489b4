import { Request, Response, Router } from 'express';
import { AppContext } from '../context';
import { processExternalOrder } from '../orders/process-external-order';
import { processPosOrder } from '../orders/process-pos-order';
import { checkAccessRights } from '../orm/access';
import { requireRecords, userEnv } from '../orm/access-path';
import { ApiLocals } from './auth';
import { ApiError } from './errors';
import { idempotentWrite } from './idempotency';
import { asApiError } from './ledger-errors';
import { checkLimits, pathId } from './limits';
import { externalOrderSchema } from './schemas';
import { validator } from './validate';

const parseOrder = validator(externalOrderSchema);

/** 'YYYY-MM-DD[ HH:MM:SS]' naming a day (and time) that exists: the schema checks only the shape. */
function realDate(text: string): boolean {
  const d = new Date(text.replace(' ', 'T') + (text.length > 10 ? 'Z' : 'T00:00:00Z'));
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, text.length).replace('T', ' ') === text;
}

/**
 * POST /orders: an external order, applied once per reference (201 the first time, 200 with
 * the first result afterwards). POST /pos-orders/:id/process: a paid POS order, once. Both run
 * as the user: loyalty.card write rights to start, then the order's records (its partner, the
 * POS order) and every card it writes pass the user's record rules, or nothing is written.
 */
export function ordersRouter(ctx: AppContext): Router {
  const router = Router();

  router.post('/orders', async (req: Request, res: Response) => {
    const uid = (res.locals as ApiLocals).uid;
    const body = parseOrder(req.body);
    if (body.date_order && !realDate(body.date_order)) throw new ApiError(400, 'invalid_request', 'date_order is not a date');
    checkLimits(ctx, body.lines.flatMap((l, i) => [
      [`lines.${i}.qty`, 'quantity', l.qty],
      [`lines.${i}.price_unit`, 'amount', l.price_unit],
    ] as Array<[string, 'quantity' | 'amount', number]>));
    const answer = await idempotentWrite(ctx, req, uid, async (cr) => {
      const env = userEnv(ctx, cr, uid);
      await checkAccessRights(env, 'loyalty.card', 'write');
      await requireRecords(env, 'res.partner', 'read', [body.partner_id]);
      const out = await processExternalOrder(cr, body, { uid, now: new Date(), app: ctx });
      return { status: out.processed ? 201 : 200, body: out };
    }).catch((err) => { throw asApiError(err); });
    res.status(answer.status).json(answer.body);
  });

  router.post('/pos-orders/:id/process', async (req: Request, res: Response) => {
    const uid = (res.locals as ApiLocals).uid;
    const id = pathId(String(req.params.id), 'order');
    const answer = await idempotentWrite(ctx, req, uid, async (cr) => {
      const env = userEnv(ctx, cr, uid);
      await checkAccessRights(env, 'loyalty.card', 'write');
      await requireRecords(env, 'pos.order', 'read', [id]);
      const out = await processPosOrder(cr, id, { source: 'api', uid, now: new Date(), app: ctx });
      return { status: out.processed ? 201 : 200, body: out };
    }).catch((err) => { throw asApiError(err); });
    res.status(answer.status).json(answer.body);
  });

  return router;
}

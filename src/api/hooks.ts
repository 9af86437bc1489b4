import express, { NextFunction, Request, Response, Router } from 'express';
import { AppContext } from '../context';
import { PosOrderCoalescer } from '../orders/order-coalescer';
import { ApiError, sendError } from './errors';
import { keepRequestContext } from '../request-context';
import { asApiError } from './ledger-errors';
import { verifyHook } from './hook-signature';

/** The bridge addon's automations run as Odoo's superuser. */
const HOOK_UID = 1;

/**
 * Signed hooks from Odoo (the bridge addon): POST /hooks/pos-order {"id": <pos.order id>}
 * processes a paid order, once. The signature covers the timestamp and the raw body
 * (hook-signature.ts); without HOOK_SECRET configured every hook is refused. Concurrent hooks are processed together (PosOrderCoalescer).
 */
export function hooksRouter(ctx: AppContext): Router {
  const router = Router();
  const orders = new PosOrderCoalescer(ctx, { source: 'hook', uid: HOOK_UID });
  router.use(keepRequestContext(express.raw({ type: () => true, limit: '64kb' })));
  router.use((req: Request, _res: Response, next: NextFunction) => {
    const secret = ctx.config.hookSecret;
    if (!secret) return next(new ApiError(503, 'hooks_disabled', 'HOOK_SECRET is not configured'));
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const verdict = verifyHook(secret, body, req.get('X-Sidecar-Timestamp'), req.get('X-Sidecar-Signature'));
    if (verdict === 'stale') return next(new ApiError(401, 'stale_hook', 'Missing or expired X-Sidecar-Timestamp'));
    if (verdict !== 'ok') return next(new ApiError(401, 'bad_signature', 'Invalid signature'));
    next();
  });
  router.post('/pos-order', async (req: Request, res: Response) => {
    let id: unknown;
    try {
      id = JSON.parse((req.body as Buffer).toString('utf8')).id;
    } catch {
      throw new ApiError(400, 'invalid_json', 'Malformed JSON body');
    }
    if (!Number.isInteger(id) || (id as number) < 1) throw new ApiError(400, 'invalid_request', 'id must be a positive integer');
    const out = await orders.process(id as number).catch((err) => { throw asApiError(err); });
    res.status(out.processed ? 201 : 200).json(out);
  });
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => sendError(res, err));
  return router;
}

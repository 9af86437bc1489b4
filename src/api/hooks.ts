import express, { NextFunction, Request, Response, Router } from 'express';
import { AppContext } from '../context';
import { isRecordIdValue } from '../bounds';
import { PosOrderCoalescer } from '../orders/order-coalescer';
import { requireRecords, SUPERUSER_ID, userEnv } from '../orm/access-path';
import { ApiError, sendError } from './errors';
import { keepRequestContext } from '../request-context';
import { asApiError } from './ledger-errors';
import { hookTimestampFresh, verifyHook } from './hook-signature';

/**
 * Signed hooks from Odoo (the bridge addon): POST /hooks/pos-order {"id": <pos.order id>,
 * "uid"?: <user id>} processes a paid order, once. Every route of this router is behind the
 * signature check below: the timestamp (inside the signed material) must be within the window
 * before the body is even read, then the HMAC of "<timestamp>.<body>" must match; without
 * HOOK_SECRET configured every hook is refused. A hook runs as the Odoo user it names (the
 * one whose action triggered it), else as the superuser, as the addon's automations do, through
 * the same access checks as every entry point. Concurrent hooks of one user are processed
 * together (PosOrderCoalescer).
 */
export function hooksRouter(ctx: AppContext): Router {
  const router = Router();
  const coalescers = new Map<number, PosOrderCoalescer>();
  const ordersOf = (uid: number) => {
    let c = coalescers.get(uid);
    if (!c) coalescers.set(uid, (c = new PosOrderCoalescer(ctx, { source: 'hook', uid })));
    return c;
  };
  router.use((req: Request, _res: Response, next: NextFunction) => {
    if (!ctx.config.hookSecret) return next(new ApiError(503, 'hooks_disabled', 'HOOK_SECRET is not configured'));
    if (!hookTimestampFresh(req.get('X-Sidecar-Timestamp'))) return next(new ApiError(401, 'stale_hook', 'Missing or expired X-Sidecar-Timestamp'));
    next();
  });
  router.use(keepRequestContext(express.raw({ type: () => true, limit: '64kb' })));
  router.use((req: Request, _res: Response, next: NextFunction) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const verdict = verifyHook(ctx.config.hookSecret!, body, req.get('X-Sidecar-Timestamp'), req.get('X-Sidecar-Signature'));
    if (verdict === 'stale') return next(new ApiError(401, 'stale_hook', 'Missing or expired X-Sidecar-Timestamp'));
    if (verdict !== 'ok') return next(new ApiError(401, 'bad_signature', 'Invalid signature'));
    next();
  });
  router.post('/pos-order', async (req: Request, res: Response) => {
    let body: { id?: unknown; uid?: unknown };
    try {
      body = JSON.parse((req.body as Buffer).toString('utf8')) ?? {};
    } catch {
      throw new ApiError(400, 'invalid_json', 'Malformed JSON body');
    }
    if (!isRecordIdValue(body.id)) throw new ApiError(400, 'invalid_request', 'id must be a positive integer');
    if (body.uid !== undefined && !isRecordIdValue(body.uid)) throw new ApiError(400, 'invalid_request', 'uid must be a user id');
    const id = body.id;
    const uid = (body.uid as number | undefined) ?? SUPERUSER_ID;
    const out = await (async () => {
      await requireRecords(userEnv(ctx, ctx.db.knex, uid), 'pos.order', 'read', [id]);
      return ordersOf(uid).process(id);
    })().catch((err) => { throw asApiError(err); });
    res.status(out.processed ? 201 : 200).json(out);
  });
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => sendError(res, err));
  return router;
}

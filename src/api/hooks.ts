import express, { NextFunction, Request, Response, Router } from 'express';
import { AppContext } from '../context';
import { ApiError, sendError } from './errors';
import { keepRequestContext } from '../request-context';
import { hookTimestampFresh, verifyHook } from './hook-signature';
import { posOrderHooks } from './hook-pos-order';
import { partnerHooks } from './hook-partner';
import { jobHooks } from './hook-job';
import { posCouponHooks } from './hook-pos-coupons';

/**
 * Signed hooks from Odoo (the bridge addon, addons-bridge/loyalty_sidecar_bridge). Every hook
 * is a POST of a JSON object whose signature covers the timestamp and the raw body
 * (hook-signature.ts): the timestamp must be within the window before the body is even read,
 * then the HMAC of "<timestamp>.<body>" must match; without HOOK_SECRET configured every hook
 * is refused. A hook runs as its acting user through the same access checks as every entry
 * point (src/orm/access-path.ts). Each names its
 * acting user (`uid`: the Odoo user the automation, the till or the cron ran as; default 1,
 * Odoo's superuser), recorded as the writer of what the hook changes:
 *
 *   POST /hooks/ping            {}                          → {ok, db, version}: the addon's "test connection"
 *   POST /hooks/pos-order       {"id" | "ids", "uid", "wait"}  paid POS orders: points and membership, once
 *   POST /hooks/partner-created {"ids", "uid", "wait"}         primary program card and referral code
 * ("wait": false, as the addon sends them after Odoo's commit: answered 202 at once, done in the background)
 *   POST /hooks/job             {"job", "uid"}              run a scheduled job (once per period)
 *   POST /hooks/pos-coupons     {"method", "ids", "args", "uid"}  the till's validate/confirm_coupon_programs
 */
export function hooksRouter(ctx: AppContext): Router {
  const router = Router();
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
  router.post('/ping', (_req: Request, res: Response) => {
    res.json({ ok: true, db: ctx.dbName, mode: ctx.mode });
  });
  router.use(posOrderHooks(ctx));
  router.use(partnerHooks(ctx));
  router.use(jobHooks(ctx));
  router.use(posCouponHooks(ctx));
  router.use((_req, _res, next) => next(new ApiError(404, 'not_found', 'No such hook')));
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => sendError(res, err));
  return router;
}

import { Request, Response, Router } from 'express';
import { AppContext } from '../context';
import { executeKw } from '../orm/call';
import { encodeJson } from '../rpc/json-encode';
import { jsonRpcError } from '../rpc/errors';
import { ApiError } from './errors';
import { hookBody, hookUid } from './hook-body';

const METHODS = new Set(['validate_coupon_programs', 'confirm_coupon_programs']);

/**
 * POST /hooks/pos-coupons {"method", "ids", "args", "uid"}: the bridge addon's pos.order
 * validate_coupon_programs / confirm_coupon_programs, answered by the sidecar's own
 * implementation of those methods (src/models/pos-order-loyalty.ts: server-authoritative
 * points) as the till's user. The answer is what Odoo's JSON-RPC would carry: {"result": …},
 * or {"error": …} in Odoo's error shape (the addon then lets Odoo's own code answer).
 */
export function posCouponHooks(ctx: AppContext): Router {
  const router = Router();
  router.post('/pos-coupons', async (req: Request, res: Response) => {
    const body = hookBody(req);
    if (typeof body.method !== 'string' || !METHODS.has(body.method)) throw new ApiError(400, 'invalid_request', `method must be one of ${[...METHODS].join(', ')}`);
    if (!Array.isArray(body.ids) || !Array.isArray(body.args)) throw new ApiError(400, 'invalid_request', 'ids and args must be lists');
    const uid = await hookUid(ctx, body);
    try {
      const result = await executeKw(ctx, uid, 'pos.order', body.method, [body.ids, ...body.args], {});
      res.type('application/json').send(`{"result":${encodeJson(result)}}`);
    } catch (err) {
      res.status(422).type('application/json').send(`{"error":${encodeJson(jsonRpcError(err))}}`);
    }
  });
  return router;
}

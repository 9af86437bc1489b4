import { Router } from 'express';
import { AppContext } from '../context';
import { jsonRoute } from './jsonrpc';
import { dispatchRpc } from './dispatch';
import { checkKeywords } from './arity';
import { webRouter } from './web';
import { xmlrpcHandler } from './xmlrpc';
import { typeError } from '../errors';
import { pyTypeName } from './values';

/** Odoo's RPC surface: XML-RPC (current and legacy), JSON-RPC, and the web session endpoints. */
export function rpcRouter(ctx: AppContext): Router {
  const router = Router();
  router.post('/xmlrpc/2/:service', xmlrpcHandler(ctx, false));
  router.post('/xmlrpc/:service', xmlrpcHandler(ctx, true));
  // Odoo's XML-RPC routes take POST only (methods=["POST"]): anything else is a 405.
  router.all(['/xmlrpc/2/:service', '/xmlrpc/:service'], (_req, res) => {
    res.status(405).set('allow', 'POST').type('text/plain').send('405 Method Not Allowed');
  });
  router.post('/jsonrpc', jsonRoute(ctx, async ({ req, params }) => {
    checkKeywords('RPC.jsonrpc', ['service', 'method', 'args'], params);
    if (!Array.isArray(params.args)) throw typeError(`'${pyTypeName(params.args)}' object is not subscriptable`);
    return dispatchRpc(ctx, params.service, params.method, params.args, { remoteAddr: req.socket.remoteAddress, paramsKind: 'list' });
  }));
  router.use(webRouter(ctx));
  return router;
}

import { requestAddress } from '../http/addresses';
import { Router } from 'express';
import { AppContext } from '../context';
import { jsonRoute } from './jsonrpc';
import { dispatchRpc, RPC_SERVICES } from './dispatch';
import { checkKeywords } from './arity';
import { addWebRoutes } from './web';
import { xmlrpcHandler } from './xmlrpc';
import { typeError } from '../errors';
import { pyTypeName } from './values';
import { RpcRoutes } from './routes';
import { forwardRaw } from '../upstream/forward';
import { addJson2Routes } from './json2/route';

/** Odoo's RPC surface: XML-RPC (current and legacy), JSON-RPC, and the web session endpoints. */
export function rpcRoutes(ctx: AppContext): RpcRoutes {
  const routes = new RpcRoutes();
  routes.segment('/xmlrpc/2/', xmlrpcHandler(ctx, false), RPC_SERVICES);
  routes.segment('/xmlrpc/', xmlrpcHandler(ctx, true), RPC_SERVICES);
  routes.exact('/jsonrpc', jsonRoute(ctx, async ({ req, params, text }) => {
    checkKeywords('RPC.jsonrpc', ['service', 'method', 'args'], params);
    if (!Array.isArray(params.args)) throw typeError(`'${pyTypeName(params.args)}' object is not subscriptable`);
    const upstream = ctx.upstream;
    const forward = upstream && ((model: string, method: string) => forwardRaw(upstream, 'jsonrpc', model, method, req, text));
    return dispatchRpc(ctx, params.service, params.method, params.args, { remoteAddr: requestAddress(req, ctx.config), paramsKind: 'list', forward });
  }));
  addWebRoutes(ctx, routes);
  addJson2Routes(ctx, routes);
  return routes;
}

/** What express answers on the RPC paths: Odoo's XML-RPC routes take POST only (methods=["POST"]), anything else is a 405. */
export function rpcMethodRouter(): Router {
  const router = Router();
  router.all(['/xmlrpc/2/:service', '/xmlrpc/:service'], (req, res, next) => {
    if (req.method === 'POST') return next(); // a POST the route table could not read (a malformed escape): express's 404
    res.status(405).set('allow', 'POST').type('text/plain').send('405 Method Not Allowed');
  });
  return router;
}

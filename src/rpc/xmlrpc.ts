/**
 * XML-RPC endpoints: POST /xmlrpc/2/<service> (integer fault codes) and the legacy
 * POST /xmlrpc/<service> (string fault codes), as odoo/addons/base/controllers/rpc.py.
 * Faults are answered with HTTP 200, as Odoo does.
 */
import { requestAddress } from '../http/addresses';
import { IncomingMessage, ServerResponse } from 'node:http';
import { AppContext } from '../context';
import { readRpcBody } from './body';
import { dispatchRpc } from './dispatch';
import { legacyXmlrpcFault, xmlrpcFault } from './errors';
import { decodeMethodCall, encodeMethodResponse } from './xml/codec';
import { sendText } from './jsonrpc';
import { forwardRaw, Forwarded, sendForwarded } from '../upstream/forward';

/** The handler of one service's endpoint (`service` is the last path segment, as Odoo routes it). */
export function xmlrpcHandler(ctx: AppContext, legacy: boolean) {
  return async (req: IncomingMessage, res: ServerResponse, service: string): Promise<void> => {
    try {
      const body = await readRpcBody(req, res, ctx.config.maxBodyBytes);
      const call = decodeMethodCall(body);
      const upstream = ctx.upstream;
      const forward = upstream && ((model: string, method: string) => forwardRaw(upstream, 'xmlrpc', model, method, req, body));
      const result = await dispatchRpc(ctx, service, call.methodName, call.params, { remoteAddr: requestAddress(req, ctx.config), forward });
      if (result instanceof Forwarded) return sendForwarded(res, result);
      send(res, encodeMethodResponse(result));
    } catch (err) {
      send(res, legacy ? legacyXmlrpcFault(err) : xmlrpcFault(err));
    }
  };
}

function send(res: ServerResponse, xml: string): void {
  sendText(res, 200, 'text/xml; charset=utf-8', xml);
}

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

/** The handler of one service's endpoint (`service` is the last path segment, as Odoo routes it). */
export function xmlrpcHandler(ctx: AppContext, legacy: boolean) {
  return async (req: IncomingMessage, res: ServerResponse, service: string): Promise<void> => {
    try {
      const body = await readRpcBody(req, res, ctx.config.maxBodyBytes);
      const call = decodeMethodCall(body);
      const result = await dispatchRpc(ctx, service, call.methodName, call.params, { remoteAddr: requestAddress(req, ctx.config) });
      send(res, encodeMethodResponse(result));
    } catch (err) {
      send(res, legacy ? legacyXmlrpcFault(err) : xmlrpcFault(err));
    }
  };
}

function send(res: ServerResponse, xml: string): void {
  sendText(res, 200, 'text/xml; charset=utf-8', xml);
}

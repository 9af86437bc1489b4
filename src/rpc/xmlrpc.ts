/**
 * XML-RPC endpoints: POST /xmlrpc/2/<service> (integer fault codes) and the legacy
 * POST /xmlrpc/<service> (string fault codes), as odoo/addons/base/controllers/rpc.py.
 * Faults are answered with HTTP 200, as Odoo does.
 */
import { Request, Response } from 'express';
import { AppContext } from '../context';
import { readRpcBody } from './body';
import { dispatchRpc } from './dispatch';
import { legacyXmlrpcFault, xmlrpcFault } from './errors';
import { decodeMethodCall, encodeMethodResponse } from './xml/codec';

export function xmlrpcHandler(ctx: AppContext, legacy: boolean) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      const body = await readRpcBody(req, res, ctx.config.maxBodyBytes);
      const call = decodeMethodCall(body);
      const result = await dispatchRpc(ctx, req.params.service, call.methodName, call.params, { remoteAddr: req.socket.remoteAddress });
      send(res, encodeMethodResponse(result));
    } catch (err) {
      send(res, legacy ? legacyXmlrpcFault(err) : xmlrpcFault(err));
    }
  };
}

function send(res: Response, xml: string): void {
  res.status(200).type('text/xml; charset=utf-8').send(xml);
}

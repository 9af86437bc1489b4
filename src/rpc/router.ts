import express, { Router } from 'express';
import { serializeMethodResponse } from './xmlrpc-minimal';
import { AppContext } from '../context';

/**
 * Odoo's RPC endpoints. Placeholder: answers common.version() only.
 * TODO(rpc): the full /xmlrpc/2/*, /jsonrpc and /web/* surface.
 */
export function rpcRouter(_ctx: AppContext): Router {
  const router = Router();
  router.post('/xmlrpc/2/common', express.text({ type: () => true }), (req, res) => {
    const method = /<methodName>\s*([^<]*?)\s*<\/methodName>/.exec(String(req.body))?.[1];
    res.type('text/xml');
    if (method === 'version') {
      res.send(serializeMethodResponse(versionInfo()));
    } else {
      res.status(404).end();
    }
  });
  return router;
}

export function versionInfo() {
  return {
    server_version: '17.0',
    server_version_info: [17, 0, 0, 'final', 0, ''],
    server_serie: '17.0',
    protocol_version: 1,
  };
}

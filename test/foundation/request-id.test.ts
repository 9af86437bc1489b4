/**
 * Request ids: every answer carries X-Request-Id, the caller's own when it is a sane token, a new
 * UUID otherwise, on the RPC route table and on express's routes alike.
 */
import { expect } from 'chai';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const VERSION = '<?xml version="1.0"?><methodCall><methodName>version</methodName><params></params></methodCall>';

describe('foundation: request ids', () => {
  let sidecar: TestSidecar;
  before(async () => {
    sidecar = await startTestSidecar('empty');
  });
  after(async () => sidecar?.close());

  const ask = async (path: string, headers: Record<string, string> = {}) => {
    const init = path.startsWith('/xmlrpc') ? { method: 'POST', body: VERSION, headers } : { headers };
    return (await fetch(sidecar.url + path, init)).headers.get('x-request-id');
  };

  for (const path of ['/xmlrpc/2/common', '/healthz', '/api/v1/openapi.json', '/api/v1/no-such-route', '/no-such-page']) {
    it(`${path}: echoes the caller's id, makes one when there is none or it is not a sane token`, async () => {
      expect(await ask(path, { 'x-request-id': 'till-7:order-42' })).to.equal('till-7:order-42');
      expect(await ask(path)).to.match(UUID);
      expect(await ask(path, { 'x-request-id': 'x'.repeat(200) })).to.match(UUID);
      expect(await ask(path, { 'x-request-id': 'a b;c' })).to.match(UUID);
      const [a, b] = [await ask(path), await ask(path)];
      expect(a).to.not.equal(b);
    });
  }
});

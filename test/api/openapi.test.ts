/**
 * The OpenAPI document names every route the REST router serves (walked from express's own
 * route table, so a new route without its description fails here), with the methods served,
 * plus /healthz; the README's preview example is a valid PreviewRequest.
 */
import { expect } from 'chai';
import Ajv from 'ajv';
import { apiRouter } from '../../src/api/router';
import { openapiDocument } from '../../src/api/openapi';
import { AppContext } from '../../src/context';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  /** The match of a path (truthy) or nothing. */
  match(path: string): unknown;
}

/** "METHOD /path" of every route under a router, in OpenAPI's path syntax ({id}). */
function routes(stack: Layer[]): string[] {
  const out: string[] = [];
  for (const layer of stack) {
    if (layer.route) {
      for (const m of Object.keys(layer.route.methods)) out.push(`${m.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
    } else if (layer.handle.stack) {
      // Feature routers are mounted at the API's root: their paths are the API's.
      expect(Boolean(layer.match('/any/path')), 'a sub-router mounted under a path').to.equal(true);
      out.push(...routes(layer.handle.stack));
    }
  }
  return out;
}

describe('api: the OpenAPI document', () => {
  const ctx = { config: { maxBodyBytes: 1024 }, db: {} } as unknown as AppContext;
  let served: string[];
  before(() => {
    served = routes((apiRouter(ctx) as unknown as { stack: Layer[] }).stack).sort();
  });
  const paths = openapiDocument.paths as Record<string, Record<string, unknown>>;
  const documented = Object.entries(paths)
    .flatMap(([p, ops]) => Object.keys(ops).filter((k) => k !== 'servers').map((m) => `${m.toUpperCase()} ${p}`))
    .filter((r) => r !== 'GET /healthz')
    .sort();

  it('describes every route /api/v1 serves, and only those', () => {
    expect(served).to.include('POST /orders/preview');
    expect(documented).to.deep.equal(served);
  });

  it('describes /healthz at the server root, without credentials', () => {
    expect(paths['/healthz']).to.deep.include({ servers: [{ url: '/' }] });
    expect((paths['/healthz'].get as { security: unknown[] }).security).to.deep.equal([]);
  });

  it('gives every operation its error answers and every reference a schema', () => {
    const schemas = openapiDocument.components.schemas as Record<string, unknown>;
    for (const ref of JSON.stringify(openapiDocument).match(/#\/components\/schemas\/\w+/g) ?? []) {
      expect(schemas, ref).to.have.property(ref.split('/').pop()!);
    }
    for (const [p, ops] of Object.entries(paths)) {
      for (const [m, op] of Object.entries(ops)) {
        if (m === 'servers' || p === '/openapi.json' || p === '/healthz') continue;
        expect(Object.keys((op as { responses: object }).responses), `${m} ${p}`).to.include.members(['401', '500']);
      }
    }
  });

  it("accepts the README's preview example as a PreviewRequest", () => {
    const ajv = new Ajv({ strict: false });
    const check = ajv.compile((openapiDocument.components.schemas as Record<string, object>).PreviewRequest);
    const example = { partner_id: 64, lines: [{ product_id: 35, qty: 1, price_unit: 1500 }], codes: ['VIP15'], rewards: [{ reward_id: 11, coupon_id: false }] };
    expect(check(example), JSON.stringify(check.errors)).to.equal(true);
    expect(check({ partner_id: 64 })).to.equal(false);
  });
});

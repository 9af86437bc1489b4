/**
 * The hostile-input suite: generated XML-RPC bodies, JSON-RPC calls, domains, order clauses,
 * REST bodies and headers (fast-check) thrown at a running sidecar over real HTTP. For every
 * input: the process keeps answering, no 5xx for an input error, no SQL text, stack or file
 * path in the answer, and a refused call changes nothing; at the end every card's points
 * equal the sum of its moves. The counts are printed (HOSTILE_RUNS scales the runs per kind).
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { Knex } from 'knex';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { basicAuth, cheapPassword, expectLedgerBalanced } from '../helpers/ledger';
import { signHook } from '../../src/api/hook-signature';

const RUNS = Number(process.env.HOSTILE_RUNS ?? 250);
const SECRET = 'hostile-suite-hook-secret-0123';

/** What must never reach a client: SQL, a JavaScript stack, a file path of the server. */
const LEAK = /\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+"?\w+"?\s+SET|DELETE\s+FROM|WHERE\s+"?\w+"?\.)|syntax error at or near|\bat (async )?[\w.<>]+ \(|\/src\/|node_modules|\.ts:\d+/i;

interface Tally {
  inputs: number;
  crashes: number;
  serverErrors: number;
  leaks: number;
  changedWhenRefused: number;
  problems: string[];
}

describe('security: hostile inputs (fast-check) against a running sidecar', () => {
  let sidecar: TestSidecar;
  let db: Knex;
  const tally: Tally = { inputs: 0, crashes: 0, serverErrors: 0, leaks: 0, changedWhenRefused: 0, problems: [] };
  const auth = basicAuth('admin', 'hostile-pw');

  /** What a refused call must leave as it was. */
  const fingerprint = async () => JSON.stringify((await db.raw(`select
      (select count(*) from loyalty_point_move) as moves, (select coalesce(sum(points), 0)::text from loyalty_card) as points,
      (select count(*) from loyalty_card) as cards, (select count(*) from sidecar_processed_order) as processed,
      (select count(*) from pos_order) as orders, (select count(*) from res_partner) as partners,
      (select coalesce(max(write_date)::text, '') from res_partner) as partner_written,
      (select coalesce(max(write_date)::text, '') from loyalty_program) as program_written`)).rows[0]);

  /**
   * Sends one input and judges the answer. `refused(status, text)` says whether the sidecar
   * refused it (then nothing may have changed). Problems are recorded with the input, not thrown:
   * the suite reports every kind of failure it met, with its count.
   */
  async function probe(label: string, input: unknown, send: () => Promise<Response>, refused: (status: number, text: string) => boolean, checkWrites = true): Promise<void> {
    tally.inputs++;
    const before = checkWrites ? await fingerprint() : '';
    let status = 0;
    let text = '';
    try {
      const res = await send();
      status = res.status;
      text = await res.text();
    } catch (err) {
      // The process or the connection died under this input?
      const alive = await fetch(sidecar.url + '/healthz').then((r) => r.ok, () => false);
      if (!alive) tally.crashes++;
      tally.problems.push(`${label}: ${alive ? 'connection error' : 'CRASH'} ${(err as Error).message} on ${JSON.stringify(input)?.slice(0, 300)}`);
      return;
    }
    const problem = (kind: string) => tally.problems.push(`${label}: ${kind} (${status}) ${text.slice(0, 200)} on ${JSON.stringify(input)?.slice(0, 300)}`);
    if (status >= 500 && status !== 503) {
      tally.serverErrors++;
      problem('5xx');
    }
    if (LEAK.test(text)) {
      tally.leaks++;
      problem('leak');
    }
    if (checkWrites && refused(status, text) && (await fingerprint()) !== before) {
      tally.changedWhenRefused++;
      problem('changed data although refused');
    }
  }

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(sidecar.url + path, { method: 'POST', body, headers });
  const isFault = (status: number, text: string) => status !== 200 || /<fault>|"error"\s*:/.test(text);
  const isRestRefusal = (status: number) => status >= 400;

  // ----------------------------------------------------------------- generators
  const models = fc.constantFrom('res.partner', 'loyalty.card', 'loyalty.program', 'pos.order', 'loyalty.point.move', 'res.users', 'x.nothing', '', 'constructor');
  const methods = fc.oneof(
    fc.constantFrom('search', 'search_read', 'search_count', 'read', 'name_search', 'read_group', 'fields_get', 'check_access_rule', 'exists',
      'write', 'create', 'unlink', 'copy', 'loyalty_preview', 'validate_coupon_programs', 'confirm_coupon_programs', 'create_from_ui',
      'constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '_read', 'action_archive'),
    fc.string({ maxLength: 20 }),
  );
  const fieldNames = fc.oneof(fc.constantFrom('id', 'name', 'points', 'partner_id', 'partner_id.name', 'company_id', 'code', 'active', 'program_id.company_id', 'write_date', 'child_ids', 'x'), fc.string({ maxLength: 12 }));
  const operators = fc.oneof(fc.constantFrom('=', '!=', '<', '>', '<=', '>=', 'in', 'not in', 'like', 'ilike', 'not ilike', '=like', '=?', 'child_of', 'parent_of', '<>'), fc.string({ maxLength: 5 }));
  /** Any text: printable, or any code point (NUL, lone surrogates, control characters …). */
  const anyText = (maxLength: number) => fc.oneof(fc.string({ maxLength }), fc.string({ maxLength, unit: 'binary' }));
  const scalars = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(99999999999, -1, 0, 2147483648, 1e308, false, true, null, '', "'; DROP TABLE res_partner; --", '%', '\\', 'a\u0000b', '2026-13-45', '1e999'), anyText(20));
  const values = fc.oneof(scalars, fc.array(scalars, { maxLength: 5 }));
  const leaf = fc.tuple(fieldNames, operators, values);
  const domain = fc.array(fc.oneof({ weight: 6, arbitrary: leaf }, { weight: 1, arbitrary: fc.constantFrom('&', '|', '!') }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }), { maxLength: 12 });
  const orderClause = fc.oneof(fc.constantFrom('id desc', 'name, id', 'points desc nulls last', 'id; select 1', 'id desc, (select 1)', '"id"', 'partner_id.name'), fc.string({ maxLength: 30 }));

  /** An XML-RPC value of any kind, including the ones XML-RPC cannot say. */
  const xmlValue: fc.Arbitrary<string> = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.integer().map((n) => `<value><int>${n}</int></value>`),
      fc.string({ maxLength: 15 }).map((s) => `<value><string>${s.replace(/[<&]/g, '')}</string></value>`),
      fc.constantFrom('<value><double>1e400</double></value>', '<value><int>99999999999</int></value>', '<value><boolean>2</boolean></value>', '<value><nil/></value>',
        '<value><dateTime.iso8601>nope</dateTime.iso8601></value>', '<value><base64>***</base64></value>', '<value><i4>x</i4></value>', '<value>'),
      fc.array(tie('value'), { maxLength: 4 }).map((vs) => `<value><array><data>${vs.join('')}</data></array></value>`),
      fc.array(fc.tuple(fc.string({ maxLength: 8 }), tie('value')), { maxLength: 3 }).map((ms) => `<value><struct>${ms.map(([k, v]) => `<member><name>${k.replace(/[<&]/g, '')}</name>${v}</member>`).join('')}</struct></value>`),
    ),
  })).value;

  before(async () => {
    sidecar = await startTestSidecar('odoo17', { hookSecret: SECRET });
    db = sidecar.ctx.db.knex;
    await cheapPassword(db, 'admin', 'hostile-pw');
  });
  after(async () => {
    process.stdout.write(`      hostile inputs: ${tally.inputs} tried, crashes ${tally.crashes}, 5xx ${tally.serverErrors}, leaks ${tally.leaks}, changed-when-refused ${tally.changedWhenRefused}\n`);
    await sidecar?.close();
  });

  it('XML-RPC bodies: malformed and well-formed calls of any shape', async function () {
    this.timeout(180_000);
    const body = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.tuple(fc.constantFrom('common', 'object', 'db', 'nope'), fc.oneof(fc.constantFrom('execute_kw', 'execute', 'login', 'authenticate', 'version', 'list', 'drop'), fc.string({ maxLength: 10 })), fc.array(xmlValue, { maxLength: 8 }))
        .map(([svc, m, ps]) => ({ svc, xml: `<?xml version="1.0"?><methodCall><methodName>${m.replace(/[<&]/g, '')}</methodName><params>${ps.map((p) => `<param>${p}</param>`).join('')}</params></methodCall>` })),
    );
    await fc.assert(fc.asyncProperty(body, async (b) => {
      const [path, xml] = typeof b === 'string' ? ['/xmlrpc/2/object', b] : [`/xmlrpc/2/${b.svc}`, b.xml];
      await probe('xmlrpc', xml, () => post(path, xml, { 'content-type': 'text/xml' }), isFault);
    }), { numRuns: RUNS });
  });

  it('JSON-RPC: arbitrary JSON, and execute_kw of any model, method and arguments', async function () {
    this.timeout(180_000);
    const call = fc.tuple(models, methods, fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), fc.constantFrom(2, 7, 8, 99999999999, -1));
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 100 }),
      call.map(([model, method, args, kwargs, uid]) => JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { service: 'object', method: 'execute_kw', args: [sidecar.ctx.dbName, uid, 'hostile-pw', model, method, args, kwargs] } })),
    );
    await fc.assert(fc.asyncProperty(body, async (text) => {
      await probe('jsonrpc', text, () => post('/jsonrpc', text, { 'content-type': 'application/json' }), isFault);
    }), { numRuns: RUNS });
  });

  it('domains and order clauses through search_read, search_count and read_group', async function () {
    this.timeout(180_000);
    const args = fc.tuple(fc.constantFrom('res.partner', 'loyalty.card', 'loyalty.program', 'pos.order'), domain, orderClause, fc.constantFrom('search_read', 'search_count', 'read_group', 'search'));
    await fc.assert(fc.asyncProperty(args, async ([model, d, order, method]) => {
      const rpcArgs = method === 'read_group' ? [d, ['id:count'], [order]] : [d];
      const kwargs = method === 'search_read' || method === 'search' ? { order, limit: 5 } : {};
      const text = JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { service: 'object', method: 'execute_kw', args: [sidecar.ctx.dbName, 2, 'hostile-pw', model, method, rpcArgs, kwargs] } });
      // Reads: nothing may change whatever the answer.
      await probe('domain', { model, method, d, order }, () => post('/jsonrpc', text, { 'content-type': 'application/json' }), () => true);
    }), { numRuns: RUNS });
  });

  it('REST bodies and headers on every endpoint, and hooks', async function () {
    this.timeout(180_000);
    const paths = fc.constantFrom('/api/v1/points/earn', '/api/v1/points/redeem', '/api/v1/orders', '/api/v1/orders/preview', '/api/v1/pos-orders/1/process',
      '/api/v1/pos-orders/99999999999/process', '/api/v1/cards/17/balance', '/api/v1/cards/-1/balance', '/api/v1/cards/1e3/balance', '/hooks/pos-order', '/metrics');
    const bodyValue = fc.oneof(
      fc.record({ card_id: scalars, points: scalars, reason: scalars, reference: scalars }, { requiredKeys: [] }),
      fc.record({ reference: anyText(10), partner_id: scalars, date_order: scalars, lines: fc.array(fc.record({ product_id: scalars, qty: scalars, price_unit: scalars, discount: scalars }), { maxLength: 3 }), codes: fc.array(anyText(10), { maxLength: 2 }) }, { requiredKeys: [] }),
      // Mostly valid: only one field at a time goes wrong, so the input reaches the deeper code.
      fc.tuple(fc.constantFrom('card_id', 'points', 'reason', 'reference'), scalars).map(([k, v]) => ({ card_id: 17, points: 1, reason: 'r', reference: 'r', [k]: v })),
      fc.tuple(fc.constantFrom('partner_id', 'reference', 'date_order', 'product_id', 'qty', 'price_unit', 'discount', 'codes'), scalars).map(([k, v]) => {
        const line: Record<string, unknown> = { product_id: 5, qty: 1, price_unit: 70 };
        const order: Record<string, unknown> = { reference: `ref-${Math.random()}`, partner_id: 64, lines: [line] };
        if (k in line) line[k] = v;
        else order[k] = k === 'codes' ? [v] : v;
        return order;
      }),
      fc.jsonValue({ maxDepth: 3 }),
    );
    const headers = fc.record({
      authorization: fc.oneof(fc.constant(auth), fc.constant('Basic ' + Buffer.from('admin:wrong').toString('base64')), fc.string({ maxLength: 40 }), fc.constant('Bearer ' + 'a'.repeat(40))),
      'content-type': fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1'),
      'idempotency-key': fc.string({ maxLength: 300 }),
      'x-sidecar-timestamp': fc.oneof(fc.constant('now'), fc.string({ maxLength: 14 })),
      'x-forwarded-for': fc.string({ maxLength: 40 }),
    }, { requiredKeys: [] });
    const input = fc.tuple(paths, fc.oneof(bodyValue.map((v) => JSON.stringify(v)), fc.string({ maxLength: 200 })), headers, fc.constantFrom('POST', 'GET', 'PUT'));
    await fc.assert(fc.asyncProperty(input, async ([path, body, hs, method]) => {
      const h: Record<string, string> = {};
      for (const [k, v] of Object.entries(hs)) {
        // Header values travel as latin-1 text without control characters; anything else fetch itself refuses.
        if (typeof v === 'string' && /^[\x20-\x7e]*$/.test(v)) h[k] = v;
      }
      if (path.startsWith('/hooks/') && h['x-sidecar-timestamp'] === 'now') {
        const ts = Math.floor(Date.now() / 1000);
        h['x-sidecar-timestamp'] = String(ts);
        h['x-sidecar-signature'] = signHook(SECRET, ts, body);
      }
      await probe('rest', { path, method, body, h }, () => fetch(sidecar.url + path, { method, headers: h, body: method === 'GET' ? undefined : body }), (s) => isRestRefusal(s));
    }), { numRuns: RUNS });
  });

  it('found no crash, no 5xx, no leak, no change by a refused call, and the ledger balances', async () => {
    expect(tally.problems.slice(0, 20), `${tally.problems.length} problems`).to.deep.equal([]);
    expect(tally.inputs).to.be.at.least(4 * RUNS);
    await expectLedgerBalanced(db);
  });
});

/**
 * Replays recorded Odoo 17 RPC exchanges (../shared/odoo17/rpc/*.jsonl) against a running
 * sidecar over real HTTP, following the corpus spec of ../shared/odoo17/README.md:
 *
 * - the corpus is read with a JSON reader that keeps int vs float (typed-json.ts);
 * - placeholders ({db}, {admin_uid}, {admin_password}, {demo_uid}, {demo_password},
 *   {result:ID<path>}) are substituted in requests and in `expect`; the uids come from
 *   common.authenticate at the start of the file;
 * - each exchange is sent with its protocol's encoding (XML-RPC methodCall; JSON-RPC
 *   {service, method, args}; web {params}) and one cookie jar per file;
 * - answers are normalised as Python's xmlrpc.client decodes them (fault code 1 or a
 *   traceback: only the last non-empty line), JSON errors keep data.name/message only,
 *   `jsonrpc` must be "2.0", a non-200 answer is {http_status};
 * - `project` and `ignore` paths apply, then values compare strictly (compare.ts).
 *
 * Use:
 *   const results = await replayFile(sidecar.url, 'search.jsonl', { db: sidecar.ctx.dbName });
 * or, in a mocha file, `replaySuite('search.jsonl')` for one `it` per exchange.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseTypedJson } from './typed-json';
import { applyIgnore, firstDifference, getPath, parsePath, project } from './compare';
import { decodeMethodResponse, encodeMethodCall } from '../../src/rpc/xml/codec';
import { encodeJson } from '../../src/rpc/json-encode';
import { PyFloat } from '../../src/rpc/values';
import { SHARED } from '../helpers/pg';

export const CORPUS_DIR = path.join(SHARED, 'rpc');

export interface Exchange {
  id: string;
  protocol: 'xmlrpc' | 'jsonrpc' | 'web';
  path: string;
  service?: string;
  method?: string;
  args?: unknown[];
  params?: unknown;
  rpc_id?: unknown;
  expect: unknown;
  ignore?: string[];
  project?: string[];
  note?: string;
}

export interface ReplayOptions {
  /** The database name the sidecar answers to (ctx.dbName). */
  db: string;
  adminPassword?: string;
  demoPassword?: string;
}

export interface ExchangeResult {
  id: string;
  note: string;
  ok: boolean;
  /** The first difference, when not ok. */
  difference: string | null;
  expected: unknown;
  actual: unknown;
}

/** Reads a corpus file (a name in ../shared/odoo17/rpc, or a path). */
export function loadCorpus(file: string): Exchange[] {
  const full = path.isAbsolute(file) || file.includes('/') ? file : path.join(CORPUS_DIR, file);
  return readFileSync(full, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => parseTypedJson(line) as Exchange);
}

const PLACEHOLDER = /\{(db|admin_uid|admin_password|demo_uid|demo_password|result:[^{}]+)\}/g;

/** Replays the exchanges of one file in order, with the state they share (results, cookies). */
export class Replayer {
  private readonly results = new Map<string, unknown>();
  private cookies = new Map<string, string>();
  private vars: Record<string, unknown> = {};

  constructor(readonly url: string, readonly options: ReplayOptions) {}

  /** Gets the uids as the spec says: common.authenticate(db, login, password, {}). */
  async init(): Promise<void> {
    const admin = this.options.adminPassword ?? 'admin';
    const demo = this.options.demoPassword ?? 'demo';
    this.vars = { db: this.options.db, admin_password: admin, demo_password: demo };
    for (const [login, pwd, key] of [['admin', admin, 'admin_uid'], ['demo', demo, 'demo_uid']] as const) {
      const res = await this.post('/xmlrpc/2/common', encodeMethodCall('authenticate', [this.options.db, login, pwd, {}]), 'text/xml');
      const answer = res.status === 200 ? decodeMethodResponse(res.body, { double: (v) => new PyFloat(v) }) : null;
      this.vars[key] = answer && 'result' in answer ? answer.result : false;
    }
  }

  private lookup(name: string): unknown {
    if (!name.startsWith('result:')) {
      if (!(name in this.vars)) throw new Error(`unknown placeholder {${name}}`);
      return this.vars[name];
    }
    const ref = name.slice('result:'.length);
    // IDs contain '/' and '-': the exchange is the longest earlier ID the reference starts with.
    let best = '';
    for (const id of this.results.keys()) if (ref.startsWith(id) && id.length > best.length) best = id;
    if (!best) throw new Error(`{${name}}: no earlier exchange of this file has that id`);
    const rest = ref.slice(best.length);
    const value = rest ? getPath(this.results.get(best), parsePath(rest)) : this.results.get(best);
    if (value === undefined) throw new Error(`{${name}}: the answer of ${best} has no ${rest}`);
    return value;
  }

  /** Substitutes placeholders: a string that is exactly one placeholder takes the value's type. */
  substitute(value: unknown): unknown {
    if (typeof value === 'string') {
      const whole = /^\{(db|admin_uid|admin_password|demo_uid|demo_password|result:[^{}]+)\}$/.exec(value);
      if (whole) return this.lookup(whole[1]);
      return value.replace(PLACEHOLDER, (_m, name: string) => String(this.lookup(name)));
    }
    if (Array.isArray(value)) return value.map((v) => this.substitute(v));
    if (value && typeof value === 'object' && !(value instanceof PyFloat)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: this.substitute(v), enumerable: true, writable: true, configurable: true });
      return out;
    }
    return value;
  }

  private async post(urlPath: string, body: string, contentType: string): Promise<{ status: number; body: string }> {
    const headers: Record<string, string> = { 'content-type': contentType };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(this.url + urlPath, { method: 'POST', body, headers });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a) || (/^\s*expires\s*=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now()));
      if (expired || !value) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: res.status, body: await res.text() };
  }

  /** Sends one exchange and returns Odoo's normalised form of the sidecar's answer. */
  async send(exchange: Exchange): Promise<unknown> {
    const req = this.substitute({ args: exchange.args, params: exchange.params, rpc_id: exchange.rpc_id }) as Pick<Exchange, 'args' | 'params' | 'rpc_id'>;
    if (exchange.protocol === 'xmlrpc') {
      const res = await this.post(exchange.path, encodeMethodCall(exchange.method!, req.args ?? []), 'text/xml');
      if (res.status !== 200) return { http_status: res.status };
      const answer = decodeMethodResponse(res.body, { double: (v) => new PyFloat(v) });
      if ('result' in answer) return answer;
      const { code, string } = answer.fault;
      const text = String(string);
      if (code === 1 || text.startsWith('Traceback')) {
        const lines = text.split('\n').filter((l) => l.trim());
        return { fault: { code, string: lines[lines.length - 1] ?? '' } };
      }
      return answer;
    }
    const params = exchange.protocol === 'jsonrpc' ? { service: exchange.service, method: exchange.method, args: req.args } : req.params;
    const body = encodeJson({ jsonrpc: '2.0', method: 'call', params, id: req.rpc_id ?? null });
    const res = await this.post(exchange.path, body, 'application/json');
    if (res.status !== 200) return { http_status: res.status };
    const answer = parseTypedJson(res.body) as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(answer)) {
      if (k === 'jsonrpc' && v === '2.0') continue;
      if (k === 'error' && v && typeof v === 'object') {
        const { code, message, data } = v as Record<string, unknown>;
        const d = (data ?? {}) as Record<string, unknown>;
        out.error = { code, message, data: { name: d.name, message: d.message } };
      } else out[k] = v;
    }
    return out;
  }

  /** Runs one exchange: send, normalise, compare; remembers the answer for later placeholders. */
  async run(exchange: Exchange): Promise<ExchangeResult> {
    const note = exchange.note ?? '';
    let expected: unknown;
    let actual: unknown;
    try {
      expected = this.substitute(exchange.expect);
      actual = await this.send(exchange);
    } catch (err) {
      return { id: exchange.id, note, ok: false, difference: `replay error: ${(err as Error).message}`, expected, actual };
    }
    if (actual && typeof actual === 'object' && 'result' in actual) this.results.set(exchange.id, (actual as { result: unknown }).result);
    let e = expected;
    let a = actual;
    if (exchange.project?.length) {
      e = project(e, exchange.project);
      a = project(a, exchange.project);
    }
    for (const p of exchange.ignore ?? []) [e, a] = applyIgnore(e, a, parsePath(p));
    const difference = firstDifference(e, a);
    return { id: exchange.id, note, ok: difference === null, difference, expected, actual };
  }
}

/** Replays a whole file against a sidecar; one result per exchange, in order. */
export async function replayFile(url: string, file: string, options: ReplayOptions): Promise<ExchangeResult[]> {
  const replayer = new Replayer(url, options);
  await replayer.init();
  const out: ExchangeResult[] = [];
  for (const exchange of loadCorpus(file)) out.push(await replayer.run(exchange));
  return out;
}

/** A failure message for a test runner: the difference, then both values. */
export function explain(result: ExchangeResult): string {
  const show = (v: unknown) => encodeJson(v).slice(0, 2000);
  return `${result.id} (${result.note}): ${result.difference}\n  expected: ${show(result.expected)}\n  actual:   ${show(result.actual)}`;
}

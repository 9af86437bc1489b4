/**
 * What the bridge addon's tests (test/odoo/bridge*.test.ts) and bench/hooks.ts share: a sidecar
 * attached to a real Odoo's database (stopped and started again on the same port), signed hooks,
 * Odoo's own XML-RPC, POS orders as the till sends them, and the warnings of Odoo's log.
 */
import { createClient } from 'xmlrpc';
import { Knex } from 'knex';
import { loadConfig } from '../../src/config';
import { signHook } from '../../src/api/hook-signature';
import { RunningSidecar, startSidecar } from '../../src/server';
import { SIDECAR_OWNED } from '../../src/db/owned';
import { freePort } from './process';
import { OdooServer } from './odoo';

export const HOOK_SECRET = 'bridge-test-secret-0123456789';

/** The sidecar attached to an Odoo database, on a fixed port so that Odoo finds it again after a restart. */
export class AttachedSidecar {
  running: RunningSidecar | null = null;
  private constructor(readonly databaseUrl: string, readonly port: number) {}

  static async start(databaseUrl: string): Promise<AttachedSidecar> {
    const s = new AttachedSidecar(databaseUrl, await freePort());
    await s.start();
    return s;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get knex(): Knex {
    return this.running!.ctx.db.knex;
  }

  async start(): Promise<void> {
    this.running = await startSidecar({
      ...loadConfig({}), databaseUrl: this.databaseUrl, port: this.port, host: '127.0.0.1',
      logLevel: 'silent', jobsEnabled: false, hookSecret: HOOK_SECRET,
    });
  }

  async stop(): Promise<void> {
    await this.running?.close();
    this.running = null;
  }

  /** A signed hook, as the addon sends it. */
  async hook(path: string, body: object): Promise<{ status: number; body: Record<string, unknown> }> {
    const raw = JSON.stringify(body);
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(`${this.url}/hooks/${path}`, {
      method: 'POST', body: raw,
      headers: { 'content-type': 'application/json', 'X-Sidecar-Timestamp': String(ts), 'X-Sidecar-Signature': signHook(HOOK_SECRET, ts, raw) },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  /** execute_kw over the sidecar's JSON-RPC as admin (uid 2, password admin). */
  async call<T>(model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}): Promise<T> {
    const res = await fetch(`${this.url}/jsonrpc`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { service: 'object', method: 'execute_kw', args: [this.running!.ctx.dbName, 2, 'admin', model, method, args, kwargs] } }),
    });
    const body = (await res.json()) as { result?: T; error?: { data?: { message?: string } } };
    if (body.error) throw new Error(`sidecar ${model}.${method}: ${body.error.data?.message}`);
    return body.result as T;
  }
}

/** Points the addon at the sidecar (its system parameters), through Odoo's own RPC. */
export async function configureBridge(odoo: OdooServer, sidecarUrl: string): Promise<void> {
  const set = (key: string, value: string) => odoo.call('ir.config_parameter', 'set_param', [key, value]);
  await set('loyalty_sidecar_bridge.url', sidecarUrl);
  await set('loyalty_sidecar_bridge.secret', HOOK_SECRET);
  await set('loyalty_sidecar_bridge.timeout', '2');
}

/** execute_kw over Odoo's own XML-RPC (/xmlrpc/2/object). */
export function odooXmlrpc<T>(odoo: OdooServer, uid: number, password: string, model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}): Promise<T> {
  const client = createClient({ host: '127.0.0.1', port: odoo.port, path: '/xmlrpc/2/object' });
  return new Promise((resolve, reject) => {
    client.methodCall('execute_kw', [odoo.db, uid, password, model, method, args, kwargs], (err: unknown, value: unknown) =>
      (err ? reject(err) : resolve(value as T)));
  });
}

let orderSeq = 0;
const pad = (n: number) => String(n).padStart(4, '0');

/**
 * A paid order as Odoo 17's till sends it to create_from_ui, in the dump's open session 4
 * (payment method 2), dated now; lines of products with the 15% tax 1.
 */
export function tillOrder(partnerId: number | false, lines: Array<{ product_id: number; qty: number; price_unit: number }>, session = 4) {
  const n = ++orderSeq;
  const ref = `00${session}-${pad(process.pid % 1000)}-${pad(n)}`;
  const priced = lines.map((l) => ({ ...l, subtotal: round(l.qty * l.price_unit), incl: round(l.qty * l.price_unit * 1.15) }));
  const total = round(priced.reduce((s, l) => s + l.incl, 0));
  const tax = round(priced.reduce((s, l) => s + l.incl - l.subtotal, 0));
  const now = new Date().toISOString().slice(0, 19).replace('T', ' ');
  return {
    id: ref,
    to_invoice: false,
    data: {
      name: `Order ${ref}`, amount_paid: total, amount_total: total, amount_tax: tax, amount_return: 0,
      lines: priced.map((l) => [0, 0, {
        qty: l.qty, price_unit: l.price_unit, price_subtotal: l.subtotal, price_subtotal_incl: l.incl, discount: 0,
        product_id: l.product_id, tax_ids: [[6, false, [1]]], full_product_name: 'line', price_extra: 0,
      }]),
      statement_ids: [[0, 0, { name: now, payment_method_id: 2, amount: total }]],
      pos_session_id: session, pricelist_id: false, partner_id: partnerId, user_id: 2, uid: ref, sequence_number: n,
      date_order: now, fiscal_position_id: false, server_id: false, to_invoice: false, is_tipped: false, tip_amount: 0,
      access_token: `bridge-${process.pid}-${n}`, last_order_preparation_change: '{}', ticket_code: `b${n}`,
    },
  };
}

const round = (x: number) => Math.round(x * 100) / 100;

/** The WARNING, ERROR and CRITICAL lines of an Odoo log (its format: date time pid LEVEL db logger: message). */
export function odooProblems(log: string): string[] {
  return log.split('\n').filter((l) => /^\d{4}-\d\d-\d\d [\d:,]+ \d+ (WARNING|ERROR|CRITICAL) /.test(l));
}

/** The sidecar's columns on Odoo's tables as PostgreSQL describes them: type, nullability, default, foreign keys, indexes. */
export async function sidecarColumns(db: Knex): Promise<string[]> {
  const columns = (await db.raw(`
    select table_name || '.' || column_name || ' ' || udt_name || ' nullable=' || is_nullable || ' default=' || coalesce(column_default, '-') as c
      from information_schema.columns where table_schema = 'public' and table_name || '.' || column_name = any(?) order by 1`,
  [SIDECAR_OWNED.columns])).rows.map((r: { c: string }) => r.c);
  const constraints = (await db.raw(`
    select conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) as c from pg_constraint
     where conrelid::regclass::text || '.' || (select attname from pg_attribute where attrelid = conrelid and attnum = conkey[1]) = any(?)
     order by 1`, [SIDECAR_OWNED.columns])).rows.map((r: { c: string }) => r.c);
  const indexes = (await db.raw(`
    select indexdef as c from pg_indexes where schemaname = 'public' and indexname like '%sidecar%' order by 1`)).rows.map((r: { c: string }) => r.c);
  return [...columns, ...constraints, ...indexes];
}

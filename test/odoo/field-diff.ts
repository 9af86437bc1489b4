/**
 * Reads every field of every record of a model through two servers that speak Odoo's
 * JSON-RPC (a real Odoo 17 and the sidecar, on the same database) and lists where they
 * answer differently. The field list is what Odoo's fields_get gives the user, so fields the
 * user may not see are left out on both sides.
 */
import { odooJsonRpc } from '../helpers/odoo';

export interface Server {
  url: string;
  db: string;
}

export interface User {
  login: string;
  password: string;
}

/** One (model, field) whose answers differ: how many records differ, and an example. */
export interface FieldDiff {
  model: string;
  field: string;
  type: string;
  records: number;
  example: { id: number; odoo: unknown; sidecar: unknown };
}

const uids = new Map<string, number>();

const jsonrpc = (server: Server, service: string, method: string, args: unknown[]): Promise<unknown> => odooJsonRpc(server.url, service, method, args);

/** execute_kw as `user` (the uid is asked once per server and login). */
export async function executeKw<T = unknown>(server: Server, user: User, model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}): Promise<T> {
  const key = `${server.url}|${user.login}`;
  let uid = uids.get(key);
  if (uid === undefined) {
    const got = await jsonrpc(server, 'common', 'authenticate', [server.db, user.login, user.password, {}]);
    if (typeof got !== 'number') throw new Error(`${server.url} refused ${user.login}`);
    uids.set(key, (uid = got));
  }
  return (await jsonrpc(server, 'object', 'execute_kw', [server.db, uid, user.password, model, method, args, kwargs])) as T;
}

/** Equal as Odoo's values go: floats compared to 1e-9 relative, arrays and pairs element-wise. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return sameValue(ka, kb) && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

type Row = Record<string, unknown> & { id: number };

/**
 * Reads the records through one server; a call that fails as a whole is retried field by
 * field, so one refused field does not hide the others. A field that fails reads as the
 * error's class and first line (both servers must refuse it alike).
 */
async function readBatch(server: Server, user: User, model: string, ids: number[], fields: string[], context: Record<string, unknown>): Promise<Map<number, Row>> {
  const out = new Map<number, Row>(ids.map((id) => [id, { id }]));
  try {
    for (const r of await executeKw<Row[]>(server, user, model, 'read', [ids, fields], { context })) out.set(r.id, r);
    return out;
  } catch {
    for (const f of fields) {
      try {
        for (const r of await executeKw<Row[]>(server, user, model, 'read', [ids, [f]], { context })) out.get(r.id)![f] = r[f];
      } catch (err) {
        for (const id of ids) out.get(id)![f] = `<error> ${(err as Error).message.split('\n')[0]}`;
      }
    }
    return out;
  }
}

export interface CompareOptions {
  /** Fields left out of the comparison (binary data Odoo keeps in its filestore, …). */
  skip?: (field: string, type: string) => boolean;
  context?: Record<string, unknown>;
  batch?: number;
}

/** Every field of every record of `model` (archived ones included), through both servers. */
export async function compareModel(odoo: Server, sidecar: Server, user: User, model: string, options: CompareOptions = {}): Promise<{ records: number; fields: number; diffs: FieldDiff[] }> {
  const context = { active_test: false, ...options.context };
  const meta = await executeKw<Record<string, { type: string }>>(odoo, user, model, 'fields_get', [], { attributes: ['type'] });
  const fields = Object.keys(meta).filter((f) => !options.skip?.(f, meta[f].type)).sort();
  const ids = await executeKw<number[]>(odoo, user, model, 'search', [[]], { context, order: 'id' });
  const perField = new Map<string, FieldDiff>();
  const batch = options.batch ?? 100;
  for (let i = 0; i < ids.length; i += batch) {
    const chunk = ids.slice(i, i + batch);
    const theirs = await readBatch(odoo, user, model, chunk, fields, context);
    const ours = await readBatch(sidecar, user, model, chunk, fields, context);
    for (const o of theirs.values()) {
      const s = ours.get(o.id)!;
      for (const f of fields) {
        if (sameValue(o[f], s[f])) continue;
        const d = perField.get(f);
        if (d) d.records++;
        else perField.set(f, { model, field: f, type: meta[f].type, records: 1, example: { id: o.id, odoo: o[f], sidecar: s[f] } });
      }
    }
  }
  return { records: ids.length, fields: fields.length, diffs: [...perField.values()] };
}

/** One line per differing field, the largest first. */
export function formatDiffs(diffs: FieldDiff[]): string {
  const clip = (v: unknown) => {
    const s = JSON.stringify(v) ?? 'undefined';
    return s.length > 120 ? s.slice(0, 117) + '...' : s;
  };
  return [...diffs]
    .sort((a, b) => b.records - a.records || a.model.localeCompare(b.model) || a.field.localeCompare(b.field))
    .map((d) => `${String(d.records).padStart(5)}  ${d.model}.${d.field} (${d.type})  #${d.example.id} odoo=${clip(d.example.odoo)} sidecar=${clip(d.example.sidecar)}`)
    .join('\n');
}

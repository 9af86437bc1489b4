/**
 * Reads the recorded Odoo 17 exchanges for tests that call the ORM directly (below the wire).
 * Numbers keep Python's int/float distinction: a JSON number written with '.' or an exponent
 * becomes a PyFloat, as the ORM answers floats.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SHARED } from '../helpers/pg';
import { PyFloat } from '../../src/orm/float';
import { executeKw } from '../../src/orm/call';
import { OdooError } from '../../src/errors';
import { TestSidecar } from '../helpers/sidecar';
import { parseTypedJson } from '../conformance/typed-json';

export interface Exchange {
  id: string;
  protocol: string;
  path?: string;
  method?: string;
  args?: unknown[];
  expect: { result?: unknown; fault?: { code: number | string; string: string } };
  ignore: string[];
  note: string;
}

export function loadCorpus(file: string): Exchange[] {
  return readFileSync(path.join(SHARED, 'rpc', file), 'utf8').split('\n').filter(Boolean).map((l) => parseTypedJson(l) as Exchange);
}

/** Deep equality with Python's types: an int never equals a float. */
export function samePy(a: unknown, b: unknown): boolean {
  if (a instanceof PyFloat || b instanceof PyFloat) {
    return a instanceof PyFloat && b instanceof PyFloat && a.valueOf() === b.valueOf();
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, k) => samePy(x, b[k]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return samePy(ka, kb) && ka.every((k) => samePy((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

/** Substitutes the uid placeholders of the corpus. */
export function substitute(v: unknown, values: Record<string, unknown>): unknown {
  if (typeof v === 'string') {
    const whole = /^\{(\w+)\}$/.exec(v);
    if (whole && whole[1] in values) return values[whole[1]];
    return v.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
  }
  if (Array.isArray(v)) return v.map((x) => substitute(x, values));
  if (v && typeof v === 'object' && !(v instanceof PyFloat)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x, values)]));
  }
  return v;
}

const USERS: Record<string, unknown> = { admin_uid: 2, demo_uid: 6, admin_password: 'admin', demo_password: 'demo', db: 'db' };

function callOf(x: Exchange) {
  const args = substitute(x.args, USERS) as unknown[];
  if (x.method === 'execute_kw') {
    const [, uid, , model, method, margs, kwargs] = args;
    return { uid: uid as number, model: model as string, method: method as string, args: (margs ?? []) as unknown[], kwargs: (kwargs ?? {}) as Record<string, unknown> };
  }
  const [, uid, , model, method, ...rest] = args;
  return { uid: uid as number, model: model as string, method: method as string, args: rest, kwargs: {} };
}

function faultOf(err: unknown): { code: number; string: string } {
  if (err instanceof OdooError) {
    return { code: err.faultCode, string: err.faultCode === 1 ? `${err.pythonName}: ${err.message}` : err.message };
  }
  throw err;
}

export async function replayDirect(sidecar: TestSidecar, x: Exchange): Promise<{ ok: boolean; got: unknown }> {
  const c = callOf(x);
  let got: unknown;
  try {
    got = { result: await executeKw(sidecar.ctx, c.uid, c.model, c.method, c.args, c.kwargs) };
  } catch (err) {
    got = { fault: faultOf(err) };
  }
  return { ok: samePy(got, x.expect), got };
}


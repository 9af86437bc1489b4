/**
 * Compares a preview answer with a recorded engine case, as the corpus README says: reward
 * lines as a multiset keyed by (reward_id, product_id) within 0.01, totals within 0.01,
 * points won/spent summed per program, the claimable sets and the multiset of error codes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SHARED } from '../helpers/pg';

export interface EngineCase {
  id: string;
  note: string;
  request: Record<string, unknown>;
  expect: Record<string, any>;
}

export function loadCases(): EngineCase[] {
  return readFileSync(path.join(SHARED, 'engine', 'cases.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

const id = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);
const near = (a: number, b: number) => Math.abs(a - b) <= 0.01 + 1e-9;

function rewardLines(lines: any[]): any[] {
  return lines.filter((l) => l.is_reward_line).map((l) => ({
    key: `${id(l.reward_id)}/${id(l.product_id)}`,
    taxes: [...(l.tax_ids ?? [])].map(id).sort((a: any, b: any) => a - b).join(','),
    price_unit: l.price_unit, qty: l.qty, discount: l.discount ?? 0, points_cost: l.points_cost ?? 0,
  }));
}

function claimSet(list: any[] | undefined): string[] {
  return (list ?? []).map((c) => `${id(c.reward_id)}/${id(c.program_id)}/${id(c.coupon_id)}`).sort();
}

/** The differences between the answer and the expectation (empty: a match). */
export function compareCase(expected: Record<string, any>, raw: Record<string, any>): string[] {
  const actual = raw && 'result' in raw && !('lines' in raw) ? raw.result : raw;
  const diffs: string[] = [];
  for (const k of ['amount_untaxed', 'amount_tax', 'amount_total']) {
    if (!near(actual[k], expected[k])) diffs.push(`${k}: ${actual[k]} != ${expected[k]}`);
  }
  const sortKey = (l: any) => [l.taxes, l.price_unit, l.qty, l.points_cost];
  const cmp = (a: any, b: any) => {
    const x = sortKey(a), y = sortKey(b);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
  };
  const group = (lines: any[]) => {
    const m = new Map<string, any[]>();
    for (const l of lines) m.set(l.key, [...(m.get(l.key) ?? []), l]);
    for (const v of m.values()) v.sort(cmp);
    return m;
  };
  const ge = group(rewardLines(expected.lines)), ga = group(rewardLines(actual.lines ?? []));
  for (const key of new Set([...ge.keys(), ...ga.keys()])) {
    const e = ge.get(key) ?? [], a = ga.get(key) ?? [];
    if (e.length !== a.length) {
      diffs.push(`reward lines ${key}: ${a.length} != ${e.length} (${JSON.stringify(a)} vs ${JSON.stringify(e)})`);
      continue;
    }
    e.forEach((el, i) => {
      const al = a[i];
      for (const f of ['qty', 'price_unit', 'discount', 'points_cost']) {
        if (!near(al[f], el[f])) diffs.push(`reward line ${key}#${i} ${f}: ${al[f]} != ${el[f]}`);
      }
      if (al.taxes !== el.taxes) diffs.push(`reward line ${key}#${i} taxes: ${al.taxes} != ${el.taxes}`);
    });
  }
  const perProgram = (rows: any[]) => {
    const m = new Map<unknown, { won: number; spent: number }>();
    for (const r of rows ?? []) {
      const k = id(r.program_id);
      const cur = m.get(k) ?? { won: 0, spent: 0 };
      cur.won += r.won ?? 0;
      cur.spent += r.spent ?? 0;
      m.set(k, cur);
    }
    return m;
  };
  const pe = perProgram(expected.points), pa = perProgram(actual.points);
  for (const k of new Set([...pe.keys(), ...pa.keys()])) {
    const e = pe.get(k) ?? { won: 0, spent: 0 }, a = pa.get(k) ?? { won: 0, spent: 0 };
    if (!near(a.won, e.won) || !near(a.spent, e.spent)) diffs.push(`points program ${k}: won/spent ${a.won}/${a.spent} != ${e.won}/${e.spent}`);
  }
  for (const k of ['claimable', 'claimable_after']) {
    if (!(k in expected)) continue;
    const e = claimSet(expected[k]).join(' '), a = claimSet(actual[k]).join(' ');
    if (e !== a) diffs.push(`${k}: [${a}] != [${e}]`);
  }
  const codes = (l: any[] | undefined) => (l ?? []).map((x) => x.code).sort().join(',');
  if (codes(actual.errors) !== codes(expected.errors)) diffs.push(`errors: ${codes(actual.errors)} != ${codes(expected.errors)}`);
  return diffs;
}

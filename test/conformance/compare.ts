/**
 * The corpus's comparison rules: strict deep equality (int ≠ float, true ≠ 1, key sets
 * equal, arrays in order, floats exact), `ignore` paths (value not compared, key present)
 * and `project` paths (both sides reduced to them).
 */
import { PyFloat } from '../../src/rpc/values';

type Json = unknown;

/** A path of the corpus (`result[*].create_date`, `result.user_context.lang`, `a["odd.key"]`) as steps. */
export type Step = { key: string } | { index: number } | { anyIndex: true } | { anyKey: true };

export function parsePath(path: string): Step[] {
  const steps: Step[] = [];
  const re = /\[(\*|\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\.?([^.[\]]+)/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < path.length && (m = re.exec(path))) {
    if (m[1] === '*') steps.push({ anyIndex: true });
    else if (m[1] !== undefined) steps.push({ index: Number(m[1]) });
    else if (m[2] !== undefined) steps.push({ key: JSON.parse(`"${m[2]}"`) });
    else if (m[3] === '*') steps.push({ anyKey: true });
    else steps.push({ key: m[3] });
  }
  if (re.lastIndex !== path.length && steps.length === 0) throw new Error(`bad corpus path: ${path}`);
  return steps;
}

const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof PyFloat);

/** Reads one path (no wildcards) from a value; undefined when absent. */
export function getPath(value: Json, steps: Step[]): Json {
  let cur: Json = value;
  for (const step of steps) {
    if ('key' in step) cur = isObject(cur) && Object.prototype.hasOwnProperty.call(cur, step.key) ? cur[step.key] : undefined;
    else if ('index' in step) cur = Array.isArray(cur) ? cur[step.index] : undefined;
    else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

const IGNORED = Symbol('ignored');

/**
 * Replaces, in both values, every location an ignore path names with a marker. A location
 * present in `expected` but missing in `actual` is left alone, so the comparison reports it.
 */
export function applyIgnore(expected: Json, actual: Json, steps: Step[]): [Json, Json] {
  if (steps.length === 0) return [IGNORED, IGNORED];
  const [step, ...rest] = steps;
  if (('key' in step || 'anyKey' in step) && isObject(expected) && isObject(actual)) {
    const e = { ...expected };
    const a = { ...actual };
    for (const k of 'key' in step ? [step.key] : Object.keys(expected)) {
      if (!(k in e) || !(k in a)) continue;
      [e[k], a[k]] = applyIgnore(e[k], a[k], rest);
    }
    return [e, a];
  }
  if (('index' in step || 'anyIndex' in step) && Array.isArray(expected) && Array.isArray(actual)) {
    const e = [...expected];
    const a = [...actual];
    for (const i of 'index' in step ? [step.index] : e.keys()) {
      if (i >= e.length || i >= a.length) continue;
      [e[i], a[i]] = applyIgnore(e[i], a[i], rest);
    }
    return [e, a];
  }
  return [expected, actual];
}

/**
 * Reduces an answer to the `project` paths. Top-level keys no path starts with (`id`,
 * `error`) are kept whole, so an error answer is still compared in full.
 */
export function project(value: Json, paths: string[]): Json {
  if (!isObject(value)) return value;
  const parsed = paths.map(parsePath);
  const heads = new Set(parsed.map((p) => ('key' in p[0] ? p[0].key : '')));
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value)) if (!heads.has(k)) out[k] = v;
  for (const steps of parsed) {
    const v = getPath(value, steps);
    if (v === undefined) continue;
    let cur = out;
    steps.forEach((step, i) => {
      const key = 'key' in step ? step.key : String('index' in step ? step.index : '*');
      if (i === steps.length - 1) cur[key] = v;
      else cur = (cur[key] ??= {}) as Record<string, Json>;
    });
  }
  return out;
}

const show = (v: Json): string =>
  v instanceof PyFloat ? `${Number(v)} (float)` : typeof v === 'number' ? `${v} (int)` : v === IGNORED ? '<ignored>' : JSON.stringify(v)?.slice(0, 200) ?? String(v);

/** The first difference between two values, as a readable line, or null when equal. */
export function firstDifference(expected: Json, actual: Json, path = ''): string | null {
  const at = path || '<top>';
  // A plain JS number with a fraction can only be a float.
  if (typeof expected === 'number' && !Number.isInteger(expected)) expected = new PyFloat(expected);
  if (typeof actual === 'number' && !Number.isInteger(actual)) actual = new PyFloat(actual);
  if (expected === IGNORED && actual === IGNORED) return null;
  if (expected instanceof PyFloat || actual instanceof PyFloat) {
    if (!(expected instanceof PyFloat && actual instanceof PyFloat)) return `${at}: expected ${show(expected)}, got ${show(actual)}`;
    const e = Number(expected);
    const a = Number(actual);
    return e === a || (Number.isNaN(e) && Number.isNaN(a)) ? null : `${at}: expected ${show(expected)}, got ${show(actual)}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${at}: expected an array, got ${show(actual)}`;
    for (let i = 0; i < Math.min(expected.length, actual.length); i++) {
      const d = firstDifference(expected[i], actual[i], `${path}[${i}]`);
      if (d) return d;
    }
    if (expected.length !== actual.length) return `${at}: expected ${expected.length} items, got ${actual.length}: ${show(actual)}`;
    return null;
  }
  if (isObject(expected)) {
    if (!isObject(actual)) return `${at}: expected an object, got ${show(actual)}`;
    const missing = Object.keys(expected).filter((k) => !(k in actual));
    const extra = Object.keys(actual).filter((k) => !(k in expected));
    if (missing.length || extra.length) return `${at}: keys differ (missing ${JSON.stringify(missing)}, unexpected ${JSON.stringify(extra)})`;
    for (const k of Object.keys(expected)) {
      const d = firstDifference(expected[k], actual[k], path ? `${path}.${k}` : k);
      if (d) return d;
    }
    return null;
  }
  return expected === actual ? null : `${at}: expected ${show(expected)}, got ${show(actual)}`;
}

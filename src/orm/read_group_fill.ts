import { Granularity, nextStart } from './read_group_labels';

/**
 * read_group's fill_temporal (context key, True or {fill_from, fill_to, min_groups}): the
 * empty date groups between the first and the last, or over the asked range, are added, as
 * Odoo's _read_group_fill_temporal does for charts. Works on the raw rows: `key` holds the
 * truncated start as PostgreSQL returned it; a missing group has no other value, 0 counts.
 */
export interface FillOptions {
  fill_from?: string | false;
  fill_to?: string | false;
  min_groups?: number | false;
}

const toDate = (v: unknown): Date | null => {
  if (v === null || v === undefined) return null;
  const [d, t = '00:00:00'] = String(v).replace('T', ' ').split(' ');
  const [y, m, day] = d.split('-').map(Number);
  const [hh, mm, ss] = t.split(':').map((x) => parseInt(x, 10));
  return new Date(Date.UTC(y, m - 1, day, hh || 0, mm || 0, ss || 0));
};

const iso = (d: Date, isDate: boolean) => {
  const s = d.toISOString().replace('T', ' ').slice(0, 19);
  return isDate ? s.slice(0, 10) : s;
};

/** The start of the group holding `d` (weeks starting `weekShift` days before Monday's week, as the SQL does). */
function startOf(d: Date, g: Granularity, weekShift: number): Date {
  const x = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), g === 'hour' ? d.getUTCHours() : 0));
  if (g === 'day' || g === 'hour') return x;
  if (g === 'week') {
    const shifted = new Date(x.getTime() + weekShift * 86_400_000);
    const monday = new Date(shifted.getTime() - ((shifted.getUTCDay() + 6) % 7) * 86_400_000);
    return new Date(monday.getTime() - weekShift * 86_400_000);
  }
  if (g === 'month') return new Date(Date.UTC(x.getUTCFullYear(), x.getUTCMonth(), 1));
  if (g === 'quarter') return new Date(Date.UTC(x.getUTCFullYear(), Math.floor(x.getUTCMonth() / 3) * 3, 1));
  return new Date(Date.UTC(x.getUTCFullYear(), 0, 1));
}

export function fillTemporal(
  rows: Array<Record<string, unknown>>,
  key: string,
  granularity: Granularity,
  isDate: boolean,
  countKeys: string[],
  options: FillOptions,
  weekShift: number,
): Array<Record<string, unknown>> {
  const dated = rows.filter((r) => r[key] !== null && r[key] !== undefined);
  const starts = dated.map((r) => toDate(r[key])!.getTime());
  let from = options.fill_from ? startOf(toDate(options.fill_from)!, granularity, weekShift) : starts.length ? new Date(Math.min(...starts)) : null;
  let to = options.fill_to ? startOf(toDate(options.fill_to)!, granularity, weekShift) : starts.length ? new Date(Math.max(...starts)) : null;
  if (!to && from) to = from;
  if (!from && to) from = to;
  if (!from || !to) return rows;
  if (options.min_groups && options.min_groups > 0) {
    let end = from;
    for (let i = 1; i < options.min_groups; i++) end = nextStart(granularity, end);
    if (end > to) to = end;
  }
  if (to < from) return rows;
  const byStart = new Map<number, Array<Record<string, unknown>>>();
  for (const r of dated) {
    const t = toDate(r[key])!.getTime();
    byStart.set(t, [...(byStart.get(t) ?? []), r]);
  }
  const all = new Set(starts);
  for (let d = from; d <= to; d = nextStart(granularity, d)) all.add(d.getTime());
  const out: Array<Record<string, unknown>> = [];
  for (const t of [...all].sort((a, b) => a - b)) {
    out.push(...(byStart.get(t) ?? [{ [key]: iso(new Date(t), isDate), ...Object.fromEntries(countKeys.map((k) => [k, 0])) }]));
  }
  return [...out, ...rows.filter((r) => r[key] === null || r[key] === undefined)];
}

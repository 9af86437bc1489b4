/**
 * The labels read_group gives date groups, as Odoo 17 formats them with babel:
 * 'MMMM yyyy' → "September 2026" / "septembre 2026", 'dd MMM yyyy' → "08 Oct 2026",
 * 'QQQ yyyy' → "Q3 2026", 'yyyy', 'hh:00 dd MMM', and weeks "W41 2026" numbered the way the
 * language counts weeks.
 */
import { boundedMemo } from './memo';

export type Granularity = 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

export const GRANULARITIES: Granularity[] = ['hour', 'day', 'week', 'month', 'quarter', 'year'];

const bcp47 = (lang: string) => lang.replace('_', '-').replace(/@.*/, '');

const formatters = boundedMemo<Intl.DateTimeFormat>();

/**
 * Intl.DateTimeFormat for (locale, options), built once: constructing one costs far more than
 * formatting with it, and read_group formats every group's label and range.
 */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return formatters(`${locale}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(locale, options));
}

/** A month's name per (lang, width, UTC month): twelve values per language, so kept. */
const monthNames = boundedMemo<string>();

/** The stand-alone month name babel's MMMM/MMM gives ("septembre", not "de septembre"). */
function month(lang: string, d: Date, width: 'long' | 'short'): string {
  return monthNames(`${lang}|${width}|${d.getUTCMonth()}`, () => {
    const parts = dateTimeFormat(bcp47(lang), { month: width, day: 'numeric', timeZone: 'UTC' }).formatToParts(d);
    return parts.find((p) => p.type === 'month')?.value ?? '';
  });
}

const monthName = (lang: string, d: Date) => month(lang, d, 'long');
const monthAbbr = (lang: string, d: Date) => month(lang, d, 'short');

/** CLDR's abbreviated quarter prefix (babel 'QQQ'). */
const QUARTER: Record<string, string> = { fr: 'T', es: 'T', it: 'T', pt: 'T', nl: 'K', ca: 'T' };

const weekRulesByLang = boundedMemo<{ firstDay: number; minDays: number }>();

/** First day of week (0 = Monday … 6 = Sunday) and minimal days of the first week, per locale. */
export function weekRules(lang: string): { firstDay: number; minDays: number } {
  return weekRulesByLang(lang, () => localeWeekRules(lang));
}

function localeWeekRules(lang: string): { firstDay: number; minDays: number } {
  try {
    const loc = new Intl.Locale(bcp47(lang)) as Intl.Locale & {
      weekInfo?: { firstDay: number; minimalDays: number };
      getWeekInfo?: () => { firstDay: number; minimalDays: number };
    };
    const info = loc.getWeekInfo?.() ?? loc.weekInfo;
    if (info) return { firstDay: (info.firstDay + 6) % 7, minDays: info.minimalDays };
  } catch {
    // unknown locale: ISO weeks
  }
  return { firstDay: 0, minDays: 4 };
}

const DAY = 86_400_000;

/** Odoo's date_utils.weeknumber: ISO weeks for ISO locales, else the week holding 1 January is week 1. */
export function weekNumber(lang: string, d: Date): [number, number] {
  const { firstDay, minDays } = weekRules(lang);
  if (firstDay === 0 && minDays === 4) {
    const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
    const dow = (t.getUTCDay() + 6) % 7;
    t.setUTCDate(t.getUTCDate() - dow + 3);
    const year = t.getUTCFullYear();
    const jan4 = new Date(Date.UTC(year, 0, 4));
    return [year, 1 + Math.round(((t.getTime() - jan4.getTime()) / DAY - 3 + ((jan4.getUTCDay() + 6) % 7)) / 7)];
  }
  const startOfWeek = (x: Date) => new Date(x.getTime() - (((x.getUTCDay() + 6) % 7) - firstDay + 7) % 7 * DAY);
  const nextYearStart = startOfWeek(new Date(Date.UTC(d.getUTCFullYear() + 1, 0, 1)));
  if (d.getTime() >= nextYearStart.getTime()) return [d.getUTCFullYear() + 1, 1];
  const yearStart = startOfWeek(new Date(Date.UTC(d.getUTCFullYear(), 0, 1)));
  return [d.getUTCFullYear(), Math.floor((d.getTime() - yearStart.getTime()) / DAY / 7) + 1];
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The label of the group starting at `start` (a UTC-normalised date of the group's local start). */
export function groupLabel(lang: string, granularity: Granularity, start: Date): string {
  const year = pad(start.getUTCFullYear(), 4);
  switch (granularity) {
    case 'year':
      return year;
    case 'quarter':
      return `${QUARTER[lang.slice(0, 2)] ?? 'Q'}${Math.floor(start.getUTCMonth() / 3) + 1} ${year}`;
    case 'month':
      return `${monthName(lang, start)} ${year}`;
    case 'day':
      return `${pad(start.getUTCDate())} ${monthAbbr(lang, start)} ${year}`;
    case 'hour': {
      const h = start.getUTCHours() % 12 || 12;
      return `${pad(h)}:00 ${pad(start.getUTCDate())} ${monthAbbr(lang, start)}`;
    }
    case 'week': {
      const [y, w] = weekNumber(lang, start);
      return `W${w} ${pad(y, 4)}`;
    }
  }
}

/** The start of the next group. */
export function nextStart(granularity: Granularity, start: Date): Date {
  const d = new Date(start.getTime());
  switch (granularity) {
    case 'hour': d.setUTCHours(d.getUTCHours() + 1); break;
    case 'day': d.setUTCDate(d.getUTCDate() + 1); break;
    case 'week': d.setUTCDate(d.getUTCDate() + 7); break;
    case 'month': d.setUTCMonth(d.getUTCMonth() + 1); break;
    case 'quarter': d.setUTCMonth(d.getUTCMonth() + 3); break;
    case 'year': d.setUTCFullYear(d.getUTCFullYear() + 1); break;
  }
  return d;
}

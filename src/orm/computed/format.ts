import { Scope } from '../domain';
import { floatRound } from '../../engine/round';

/**
 * Numbers and amounts as Odoo's tools format them in the user's language (res_lang's decimal
 * point, thousands separator and grouping): tools.format_amount (tax strings) and formatLang
 * with a currency (display names of payments).
 */
export interface LangFormat { decimalPoint: string; thousandsSep: string; grouping: number[] }

export interface CurrencyFormat { symbol: string | null; position: string | null; rounding: string | number; decimal_places: number }

export async function langFormat(scope: Scope): Promise<LangFormat> {
  const { rows } = await scope.env.cr.raw(`select decimal_point, thousands_sep, grouping from res_lang where code = ? union all
                                           select decimal_point, thousands_sep, grouping from res_lang where code = 'en_US'`, [scope.lang]);
  const r = rows[0] ?? { decimal_point: '.', thousands_sep: ',', grouping: '[3,0]' };
  return { decimalPoint: r.decimal_point ?? '.', thousandsSep: r.thousands_sep ?? '', grouping: JSON.parse(r.grouping || '[]') };
}

/** res.lang.format('%.<digits>f', value, grouping=True): the digits of `fixed`, grouped. */
function grouped(fixed: string, lang: LangFormat): string {
  const [intPart, frac] = fixed.replace('-', '').split('.');
  const groups: string[] = [];
  let rest = intPart;
  let i = 0;
  let size = lang.grouping[0] ?? 0;
  while (size > 0 && rest.length > size) {
    groups.unshift(rest.slice(-size));
    rest = rest.slice(0, -size);
    const next = lang.grouping[++i];
    if (next === -1) break;
    if (next !== undefined && next !== 0) size = next;
  }
  groups.unshift(rest);
  return groups.join(lang.thousandsSep) + (frac ? lang.decimalPoint + frac : '');
}

const withSymbol = (text: string, cur: CurrencyFormat) => (!cur.symbol ? text : cur.position === 'after' ? `${text}\u00a0${cur.symbol}` : `${cur.symbol}\u00a0${text}`);

/** tools.format_amount: rounded to the currency, a no-break space around the symbol, a word joiner after a minus. */
export function formatAmount(value: number, cur: CurrencyFormat, lang: LangFormat): string {
  const fixed = floatRound(value, Number(cur.rounding)).toFixed(cur.decimal_places);
  const text = ((value < 0 && Number(fixed) !== 0 ? '-\u2060' : '') + grouped(fixed, lang)).replace(/ /g, '\u00a0');
  return withSymbol(text, cur);
}

/** tools.formatLang(value, currency_obj=…): HALF-EVEN to the currency's decimal places, the symbol with a no-break space. */
export function formatLang(value: number, cur: CurrencyFormat, lang: LangFormat): string {
  const digits = cur.decimal_places ?? 2;
  const fixed = floatRound(value, 10 ** -digits, 'HALF-EVEN').toFixed(digits);
  return withSymbol((fixed.startsWith('-') && Number(fixed) !== 0 ? '-' : '') + grouped(fixed, lang), cur);
}

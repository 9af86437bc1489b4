import { defineCompute } from '../compute';
import { byId, constant, contextToday, currencyRates } from './helpers';
import { Scope } from '../domain';
import { userInfo } from '../user';

/** res.currency and uom.uom's non-stored computed fields (base, account, uom), as Odoo 17 computes them. */

/** rate / inverse_rate / rate_string: against the context's to_currency (else the company's), on its date (else today). */
async function currentRates(scope: Scope, ids: number[]) {
  const ctx = scope.env.context;
  const date = typeof ctx.date === 'string' ? ctx.date.slice(0, 10) : await contextToday(scope);
  const company = typeof ctx.company_id === 'number' ? ctx.company_id : scope.companyId;
  const { rows } = await scope.env.cr.raw(`select currency_id from res_company where id = ?`, [company]);
  const companyCurrency = rows[0]?.currency_id as number;
  const to = typeof ctx.to_currency === 'number' ? ctx.to_currency : companyCurrency;
  const rates = await currencyRates(scope, [...ids, to], scope.companyId, date);
  const { rows: names } = await scope.env.cr.raw(`select id, name from res_currency where id = any(?)`, [[...ids, to]]);
  const name = new Map<number, string>(names.map((r: { id: number; name: string }) => [r.id, r.name]));
  return new Map(ids.map((id) => {
    const rate = (rates.get(id) || 1) / (rates.get(to) ?? 1);
    return [id, { rate, inverse: 1 / rate, text: id === companyCurrency ? '' : `1 ${name.get(to)} = ${rate.toFixed(6)} ${name.get(id)}` }];
  }));
}
defineCompute('res.currency', 'rate', async (scope, ids) => new Map([...(await currentRates(scope, ids))].map(([id, r]) => [id, r.rate])));
defineCompute('res.currency', 'inverse_rate', async (scope, ids) => new Map([...(await currentRates(scope, ids))].map(([id, r]) => [id, r.inverse])));
defineCompute('res.currency', 'rate_string', async (scope, ids) => new Map([...(await currentRates(scope, ids))].map(([id, r]) => [id, r.text])));
/** date: its latest rate's date (rate_ids in "name desc" order, of the companies the user sees). */
defineCompute('res.currency', 'date', async (scope, ids) => {
  const user = await userInfo(scope.env);
  return byId(scope, ids, `select currency_id as id, max(name)::text as value from res_currency_rate
                            where currency_id = any(?) and (company_id is null or company_id = any(?)) group by currency_id`, [ids, user.companyIds]);
});
defineCompute('res.currency', 'is_current_company_currency', (scope, ids) =>
  byId(scope, ids, `select c.id, c.id = (select currency_id from res_company where id = ?) as value from res_currency c where c.id = any(?)`, [scope.companyId, ids], false));
/** display_rounding_warning: only while a form edits the rounding; on a read the rounding is its own: False. */
defineCompute('res.currency', 'display_rounding_warning', constant(false));
/** fiscal_country_codes (account): of the companies in the context's allowed_company_ids only. */
defineCompute('res.currency', 'fiscal_country_codes', async (scope, ids) => {
  const allowed = Array.isArray(scope.env.context.allowed_company_ids) ? scope.env.context.allowed_company_ids.filter((c) => typeof c === 'number') : [];
  const { rows } = await scope.env.cr.raw(`select string_agg(x.code, ',' order by x.pos) as codes from (
      select c.code, min(rc.sequence * 1000000 + rc.id) as pos from res_company rc join res_country c on c.id = rc.account_fiscal_country_id
       where rc.id = any(?) group by c.id, c.code) x`, [allowed]);
  return new Map(ids.map((id) => [id, rows[0]?.codes ?? '']));
});

defineCompute('uom.uom', 'factor_inv', (scope, ids) =>
  byId(scope, ids, `select id, case when factor <> 0 then 1.0 / factor else 0 end as value from uom_uom where id = any(?)`, [ids], 0));
defineCompute('uom.uom', 'ratio', (scope, ids) =>
  byId(scope, ids, `select id, case uom_type when 'reference' then 1 when 'bigger' then (case when factor <> 0 then 1.0 / factor else 0 end) else factor end as value
                      from uom_uom where id = any(?)`, [ids], 0));
defineCompute('uom.uom', 'color', (scope, ids) =>
  byId(scope, ids, `select id, case when uom_type = 'reference' then 7 else 0 end as value from uom_uom where id = any(?)`, [ids], 0));
/** fiscal_country_codes (account): the fiscal countries of the allowed companies. */
defineCompute('uom.uom', 'fiscal_country_codes', async (scope, ids) => {
  const user = await userInfo(scope.env);
  const { rows } = await scope.env.cr.raw(`select string_agg(x.code, ',' order by x.pos) as codes from (
      select c.code, min(array_position(?::int[], rc.id)) as pos from res_company rc join res_country c on c.id = rc.account_fiscal_country_id
       where rc.id = any(?) group by c.id, c.code) x`, [user.companyIds, user.companyIds]);
  return new Map(ids.map((id) => [id, rows[0]?.codes ?? '']));
});

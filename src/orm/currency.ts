import { Knex } from 'knex';

/**
 * res.currency._get_rates: each currency's rate on `date` for the company's root company: the
 * last rate on or before the date, else the first one ever, else 1.
 */
export async function currencyRates(cr: Knex, currencyIds: number[], companyId: number, date: string): Promise<Map<number, number>> {
  const { rows } = await cr.raw(
    `with root as (select coalesce(split_part(parent_path, '/', 1)::int, id) as id from res_company where id = ?)
     select c.id, coalesce(
        (select r.rate from res_currency_rate r where r.currency_id = c.id and r.name <= ?::date and (r.company_id is null or r.company_id = (select id from root))
          order by r.company_id, r.name desc limit 1),
        (select r.rate from res_currency_rate r where r.currency_id = c.id and (r.company_id is null or r.company_id = (select id from root))
          order by r.company_id, r.name asc limit 1), 1.0) as rate
       from res_currency c where c.id = any(?)`, [companyId, date, currencyIds]);
  return new Map(rows.map((r: { id: number; rate: string }) => [r.id, Number(r.rate)]));
}

/** res.currency._convert(amount, to, company, date, round=False): amount × to's rate / from's rate. */
export async function conversionFactor(cr: Knex, from: number, to: number, companyId: number, date: string): Promise<number> {
  if (from === to) return 1;
  const rates = await currencyRates(cr, [from, to], companyId, date);
  return (rates.get(to) ?? 1) / (rates.get(from) ?? 1);
}

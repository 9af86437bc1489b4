import { defineCompute, findCompute } from '../compute';
import { aggregatePer, byId, contextToday, currencyRates, partnerTrees } from './helpers';
import { userInfo } from '../user';
import { Scope } from '../domain';
import { FieldNotServed } from '../served';
import { floatRound } from '../../engine/round';
import { searchIds } from '../search';
import { checkAccessRights } from '../access';

/**
 * res.partner's invoicing figures (account, sale), pricelist (product) and signup URL
 * (auth_signup), as Odoo 17 computes them; the rest of the partner is in partner.ts.
 */


/** has_unreconciled_entries: an active company (or a contact without parent) with an account holding both signs of residual, written since last checked. */
defineCompute('res.partner', 'has_unreconciled_entries', (scope, ids) =>
  byId(scope, ids, `select p.id, true as value from res_partner p
                     where p.id = any(?) and p.active and (p.is_company or p.parent_id is null)
                       and exists (select 1 from account_account a
                                    where exists (select 1 from account_move_line l where l.account_id = a.id and l.partner_id = p.id and l.amount_residual > 0)
                                      and exists (select 1 from account_move_line l where l.account_id = a.id and l.partner_id = p.id and l.amount_residual < 0)
                                      and (p.last_time_entries_checked is null
                                           or (select max(l.write_date) from account_move_line l where l.account_id = a.id and l.partner_id = p.id) > p.last_time_entries_checked))`,
    [ids], false));

/** credit_to_invoice (sale): confirmed orders of the current company with something left to invoice, in its currency. */
defineCompute('res.partner', 'credit_to_invoice', async (scope, ids) => {
  const out = new Map<number, unknown>(ids.map((id) => [id, 0]));
  if (!scope.reg.has('sale.order')) return out;
  const sums = await aggregatePer(scope, 'sale.order', [['company_id', '=', scope.companyId], ['partner_id', 'in', ids], ['amount_to_invoice', '>', 0], ['state', '=', 'sale']],
    'partner_id', { amount: 'sum(t.amount_to_invoice)', currency: 'min(t.currency_id)', currencies: 'count(distinct t.currency_id)' });
  const { rows } = await scope.env.cr.raw(`select c.currency_id, cur.rounding from res_company c join res_currency cur on cur.id = c.currency_id where c.id = ?`, [scope.companyId]);
  const companyCurrency = rows[0].currency_id as number;
  const rates = await currencyRates(scope, [companyCurrency, ...[...sums.values()].map((s) => s.currency)], scope.companyId, await contextToday(scope));
  for (const [partner, s] of sums) {
    if (s.currencies > 1) throw new FieldNotServed('res.partner', ['credit_to_invoice']); // orders in several currencies: converted one by one in Odoo
    const factor = s.currency === companyCurrency ? 1 : (rates.get(companyCurrency) ?? 1) / (rates.get(s.currency) ?? 1);
    out.set(partner, floatRound(s.amount * factor, Number(rows[0].rounding)));
  }
  return out;
});

/** total_invoiced: customer invoices and refunds (posted) of the partner and its tree, in the current company's currency (account.invoice.report). */
defineCompute('res.partner', 'total_invoiced', async (scope, ids) => {
  const user = await userInfo(scope.env);
  const tree = await partnerTrees(scope, ids);
  const { rows: companies } = await scope.env.cr.raw(`select id, currency_id from res_company where id = any(?)`, [[...new Set([...user.companyIds, scope.companyId])]]);
  const own = companies.find((c: { id: number }) => c.id === scope.companyId)?.currency_id;
  const rates = await currencyRates(scope, companies.map((c: { currency_id: number }) => c.currency_id), scope.companyId, await contextToday(scope));
  const rateOf = new Map<number, number>(companies.map((c: { id: number; currency_id: number }) => [c.id, user.companyIds.length === 1 && c.id === scope.companyId ? 1 : (rates.get(own) ?? 1) / (rates.get(c.currency_id) ?? 1)]));
  // the report's record rules, applied to the invoices it reports on
  const moves = await aggregatePer(scope, 'account.move', [['partner_id', 'in', [...new Set(tree.map((t) => t.id))]], ['state', 'not in', ['draft', 'cancel']],
    ['move_type', 'in', ['out_invoice', 'out_refund']], ['company_id', 'in', user.companyIds]], 'id', {}, { rulesOf: 'account.invoice.report' });
  const { rows } = await scope.env.cr.raw(
    `select m.partner_id, l.company_id, sum(-l.balance) as amount from account_move_line l join account_move m on m.id = l.move_id
      where m.id = any(?) and l.account_id is not null and l.display_type = 'product'
      group by m.partner_id, l.company_id`, [[...moves.keys()]]);
  const byPartner = new Map<number, number>();
  for (const r of rows as Array<{ partner_id: number; company_id: number; amount: string }>) {
    byPartner.set(r.partner_id, (byPartner.get(r.partner_id) ?? 0) + Number(r.amount) * (rateOf.get(r.company_id) ?? 1));
  }
  const out = new Map<number, unknown>(ids.map((id) => [id, 0]));
  for (const t of tree) out.set(t.root, Number(out.get(t.root)) + (byPartner.get(t.id) ?? 0));
  return out;
});

/** days_sales_outstanding: credit over invoiced total (commercial partner, current company), times the days since its oldest invoice. */
defineCompute('res.partner', 'days_sales_outstanding', async (scope, ids) => {
  const { rows } = await scope.env.cr.raw(`select id, coalesce(commercial_partner_id, id) as cp from res_partner where id = any(?)`, [ids]);
  const commercial = new Map<number, number>(rows.map((r: { id: number; cp: number }) => [r.id, r.cp]));
  const figures = await aggregatePer(scope, 'account.move', [['state', 'not in', ['draft', 'cancel']], ['move_type', 'in', ['out_invoice', 'out_refund', 'out_receipt']],
    ['company_id', '=', scope.companyId], ['commercial_partner_id', 'in', [...new Set(commercial.values())]]], 'commercial_partner_id',
    { oldest: `extract(epoch from min(t.invoice_date))`, total: 'sum(t.amount_total_signed)' });
  const today = await contextToday(scope);
  const credits = await creditOf(scope, ids);
  return new Map(ids.map((id) => {
    const f = figures.get(commercial.get(id)!);
    if (!f || !f.total) return [id, 0];
    const days = f.oldest ? Math.round((Date.parse(today + 'T00:00:00Z') / 1000 - f.oldest) / 86400) : 0;
    return [id, (Number(credits.get(id) ?? 0) / f.total) * days];
  }));
});
const creditOf = (scope: Scope, ids: number[]) => findCompute('res.partner', 'credit')!(scope, ids, scope.reg.model('res.partner'));

/**
 * property_product_pricelist: the partner's own property (an active pricelist), else the first
 * active pricelist of the current company (or none) for its country's groups, else the fallback:
 * a pricelist without country group, the company default property, or the first pricelist.
 */
defineCompute('res.partner', 'property_product_pricelist', async (scope, ids) => {
  const { rows: own } = await scope.env.cr.raw(
    `select split_part(p.res_id, ',', 2)::int as id, split_part(p.value_reference, ',', 2)::int as pricelist from ir_property p
       join ir_model_fields f on f.id = p.fields_id and f.model = 'res.partner' and f.name = 'property_product_pricelist'
       join product_pricelist l on l.id = split_part(p.value_reference, ',', 2)::int and l.active
      where p.res_id = any(?) and p.company_id = ?`, [ids.map((id) => `res.partner,${id}`), scope.companyId]);
  const out = new Map<number, unknown>(ids.map((id) => [id, null]));
  for (const r of own) out.set(r.id, r.pricelist);
  const rest = ids.filter((id) => out.get(id) === null);
  if (!rest.length) return out;
  const base = [['active', '=', true], ['company_id', 'in', [scope.companyId, false]]];
  const first = async (extra: unknown[]) => (await searchIds(scope.env, 'product.pricelist', [...base, ...extra], { limit: 1 }))[0] ?? null;
  const { rows: dflt } = await scope.env.cr.raw(
    `select split_part(p.value_reference, ',', 2)::int as pricelist from ir_property p
       join ir_model_fields f on f.id = p.fields_id and f.model = 'res.partner' and f.name = 'property_product_pricelist'
      where p.res_id is null and (p.company_id = ? or p.company_id is null) order by p.company_id is null limit 1`, [scope.companyId]);
  const fallback = (await first([['country_group_ids', '=', false]])) ?? dflt[0]?.pricelist ?? (await first([]));
  const { rows: countries } = await scope.env.cr.raw(`select id, country_id from res_partner where id = any(?)`, [rest]);
  const perCountry = new Map<number | null, number | null>();
  for (const r of countries as Array<{ id: number; country_id: number | null }>) {
    let country = r.country_id;
    if (country === null && typeof scope.env.context.country_code === 'string') {
      const { rows: c } = await scope.env.cr.raw(`select id from res_country where code = ? order by id limit 1`, [scope.env.context.country_code]);
      country = c[0]?.id ?? null;
    }
    if (!perCountry.has(country)) perCountry.set(country, (await first([['country_group_ids.country_ids', '=', country ?? false]])) ?? fallback);
    out.set(r.id, perCountry.get(country));
  }
  return out;
});

/**
 * signup_url: "<web.base.url>/web/<route>?db=…&token=…" (with a signup type and token) or
 * "&login=<first user's login>"; none without either. Reading it for another internal user
 * needs write access on users, for a portal user on partners, as in Odoo.
 */
defineCompute('res.partner', 'signup_url', async (scope, ids) => {
  const activeUsers = scope.env.context.active_test === false ? '' : ' and u.active';
  const { rows } = await scope.env.cr.raw(
    `select p.id, p.signup_type, p.signup_token,
            (select u.login from res_users u where u.partner_id = p.id${activeUsers} order by u.login, u.id limit 1) as login,
            exists (select 1 from res_users u where u.partner_id = p.id${activeUsers} and u.id <> ? and not u.share) as internal,
            exists (select 1 from res_users u join res_groups_users_rel g on g.uid = u.id
                      join ir_model_data d on d.model = 'res.groups' and d.res_id = g.gid and d.module = 'base' and d.name = 'group_portal'
                     where u.partner_id = p.id${activeUsers} and u.id <> ?) as portal,
            (select value from ir_config_parameter where key = 'web.base.url') as base_url
       from res_partner p where p.id = any(?)`, [scope.env.uid, scope.env.uid, ids]);
  const out = new Map<number, unknown>(ids.map((id) => [id, false]));
  for (const r of rows as Array<{ id: number; signup_type: string | null; signup_token: string | null; login: string | null; internal: boolean; portal: boolean; base_url: string | null }>) {
    if (r.internal) await checkAccessRights(scope.env, 'res.users', 'write');
    if (r.portal) await checkAccessRights(scope.env, 'res.partner', 'write');
    const type = typeof scope.env.context.signup_force_type_in_url === 'string' ? scope.env.context.signup_force_type_in_url : r.signup_type ?? '';
    const route = type ? (type === 'reset' ? 'reset_password' : type) : 'login';
    const query: Array<[string, string]> = [['db', scope.env.app.dbName]];
    if (r.signup_token && type) query.push(['token', r.signup_token]);
    else if (r.login) query.push(['login', r.login]);
    else continue;
    const path = `/web/${route}?${query.map(([k, v]) => `${urlQuotePlus(k)}=${urlQuotePlus(v)}`).join('&')}`;
    out.set(r.id, scope.env.context.relative_url ? path : new URL(path, r.base_url ?? '').toString());
  }
  return out;
});

/** werkzeug's url_quote_plus: RFC 3986 unreserved characters and "$!'()*+,;" kept, spaces as '+'. */
function urlQuotePlus(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => {
    const c = String.fromCharCode(b);
    if (c === ' ') return '+';
    return /[A-Za-z0-9\-._~$!'()*+,;]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

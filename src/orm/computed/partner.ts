import { defineCompute, findCompute } from '../compute';
import { FieldNotServed } from '../served';
import { floatRound } from '../../engine/round';
import { searchIds } from '../search';
import { checkAccessRights } from '../access';
import { aggregatePer, byId, constant, contextToday, countPer, currencyRates, partnerTrees, treeCounts } from './helpers';
import { userInfo } from '../user';
import { Scope } from '../domain';

/**
 * res.partner's non-stored computed fields, as base, mail, account, point_of_sale, sale,
 * payment, phone_validation and account_edi_ubl_cii compute them in Odoo 17.
 */

/**
 * res.partner.loyalty_card_count: the partner's (and its contacts') cards that still hold
 * points, of active programs of the user's companies, not expired.
 */
defineCompute('res.partner', 'loyalty_card_count', async (scope, ids) => {
  const user = await userInfo(scope.env);
  return byId(scope, ids,
    `with recursive tree(root, id) as (select id, id from res_partner where id = any(?)
        union select tree.root, p.id from res_partner p join tree on p.parent_id = tree.id)
     select tree.root as id, count(c.id)::int as value from tree
       join loyalty_card c on c.partner_id = tree.id join loyalty_program g on g.id = c.program_id
      where c.points > 0 and g.active and (c.company_id is null or c.company_id = any(?))
        and (c.expiration_date is null or c.expiration_date >= current_date)
      group by tree.root`,
    [ids, user.companyIds], 0);
});

// ---------------------------------------------------------------- base

/** _compute_active_lang_count: the installed (active) languages. */
defineCompute('res.partner', 'active_lang_count', (scope, ids) =>
  byId(scope, ids, `select p.id, (select count(*)::int from res_lang where active) as value from res_partner p where p.id = any(?)`, [ids], 0));
defineCompute('res.partner', 'company_type', (scope, ids) =>
  byId(scope, ids, `select id, case when is_company then 'company' else 'person' end as value from res_partner where id = any(?)`, [ids]));
/** self: the record itself (_compute_get_ids). */
defineCompute('res.partner', 'self', async (_scope, ids) => new Map(ids.map((id) => [id, id])));
/** tz_offset: now in the partner's time zone (GMT without one), as strftime('%z'). */
defineCompute('res.partner', 'tz_offset', (scope, ids) =>
  byId(scope, ids, `select id, tz as value from res_partner where id = any(?)`, [ids]).then((tzs) =>
    new Map(ids.map((id) => [id, tzOffset(String(tzs.get(id) || 'GMT'))]))));
/** is_public: one of its users (archived included) is a public user (in base.group_public). */
defineCompute('res.partner', 'is_public', (scope, ids) =>
  byId(scope, ids, `select u.partner_id as id, true as value from res_users u
                      join res_groups_users_rel r on r.uid = u.id
                      join ir_model_data d on d.model = 'res.groups' and d.res_id = r.gid and d.module = 'base' and d.name = 'group_public'
                     where u.partner_id = any(?) group by u.partner_id`, [ids], false));
/** same_vat_partner_id / same_company_registry_partner_id: another top-level partner outside this one's tree with the same number. */
for (const [field, column, minLength] of [['same_vat_partner_id', 'vat', 2], ['same_company_registry_partner_id', 'company_registry', 1]] as const) {
  defineCompute('res.partner', field, (scope, ids) =>
    byId(scope, ids, `select p.id, (select o.id from res_partner o where o.${column} = p.${column} and o.id <> p.id
                              and ${column === 'vat' ? '(p.company_id is null or o.company_id is null or o.company_id = p.company_id)' : '(o.company_id is null or o.company_id is not distinct from p.company_id)'}
                              and not exists (with recursive t(id) as (select p.id union select c.id from res_partner c join t on c.parent_id = t.id) select 1 from t where t.id = o.id)
                            order by o.complete_name, o.id limit 1) as value
                        from res_partner p where p.id = any(?) and p.parent_id is null and length(coalesce(p.${column}, '')) >= ${minLength}`, [ids]));
}

/** contact_address: _display_address, in the country's address format (company name on top). */
const DEFAULT_ADDRESS_FORMAT = '%(street)s\n%(street2)s\n%(city)s %(state_code)s %(zip)s\n%(country_name)s';
async function contactAddresses(scope: Scope, ids: number[]): Promise<Map<number, string>> {
  const { rows } = await scope.env.cr.raw(
    `select p.id, p.street, p.street2, p.zip, p.city, p.commercial_company_name,
            s.code as state_code, s.name as state_name, c.code as country_code, c.address_format,
            coalesce(c.name->>?, c.name->>'en_US') as country_name
       from res_partner p left join res_country_state s on s.id = p.state_id left join res_country c on c.id = p.country_id
      where p.id = any(?)`, [scope.lang, ids]);
  const out = new Map<number, string>();
  for (const r of rows as Array<Record<string, string | null> & { id: number }>) {
    let format = r.address_format || DEFAULT_ADDRESS_FORMAT;
    if (r.commercial_company_name) format = '%(company_name)s\n' + format;
    const args: Record<string, string> = {
      street: r.street ?? '', street2: r.street2 ?? '', zip: r.zip ?? '', city: r.city ?? '',
      state_code: r.state_code ?? '', state_name: r.state_name ?? '', country_code: r.country_code ?? '',
      country_name: r.country_name ?? '', company_name: r.commercial_company_name ?? '',
    };
    out.set(r.id, format.replace(/%\((\w+)\)s/g, (_m, k: string) => args[k] ?? ''));
  }
  return out;
}
defineCompute('res.partner', 'contact_address', contactAddresses);
/** contact_address_inline: every run of newlines (and blanks after them) becomes ", ". */
defineCompute('res.partner', 'contact_address_inline', async (scope, ids) => {
  const full = await contactAddresses(scope, ids);
  return new Map(ids.map((id) => [id, pyStrip(pyStrip(String(full.get(id) ?? '').replace(/\n(\s|\n)*/g, ', ')), ',')]));
});

/** email_formatted: '"name" <normalized emails>' (Odoo's formataddr), the raw email when none parses. */
defineCompute('res.partner', 'email_formatted', (scope, ids) =>
  byId(scope, ids, `select id, json_build_array(name, email) as value from res_partner where id = any(?)`, [ids]).then((rows) =>
    new Map<number, unknown>(ids.map((id): [number, unknown] => {
      const [name, email] = (rows.get(id) as [string | null, string | null] | null) ?? [null, null];
      if (!email) return [id, false];
      const found = email.match(EMAIL_RE)?.map((e) => e.toLowerCase()) ?? [];
      return [id, formataddr(name || 'False', found.length ? found.join(',') : email)];
    }))));

// ---------------------------------------------------------------- mail, bus, phone_validation, auth_signup

/** im_status: 'bot' for OdooBot, else the presence of its users ('offline' with users, 'im_partner' without). */
defineCompute('res.partner', 'im_status', async (scope, ids) => {
  // user_ids follows the context: with active_test off, archived users count too
  const active = scope.env.context.active_test === false ? 'true' : 'u.active';
  return byId(scope, ids, `select p.id, case
        when exists (select 1 from ir_model_data d where d.model = 'res.partner' and d.module = 'base' and d.name = 'partner_root' and d.res_id = p.id) then 'bot'
        when exists (select 1 from res_users u join bus_presence b on b.user_id = u.id where u.partner_id = p.id and ${active} and b.status = 'online') then 'online'
        when exists (select 1 from res_users u join bus_presence b on b.user_id = u.id where u.partner_id = p.id and ${active} and b.status = 'away') then 'away'
        when exists (select 1 from res_users u where u.partner_id = p.id and ${active}) then 'offline'
        else 'im_partner' end as value from res_partner p where p.id = any(?)`, [ids]);
});
defineCompute('res.partner', 'is_blacklisted', (scope, ids) =>
  byId(scope, ids, `select p.id, exists (select 1 from mail_blacklist b where b.active and b.email = p.email_normalized) as value
                      from res_partner p where p.id = any(?)`, [ids], false));
defineCompute('res.partner', 'phone_sanitized_blacklisted', phoneBlacklisted);
/**
 * phone_blacklisted / mobile_blacklisted: the blacklisted sanitized number came from that field.
 * phone_sanitized is the first of mobile, phone that formats, so a blacklisted partner's mobile is
 * the one when it is set (the sidecar does not re-run phonenumbers' formatting).
 */
defineCompute('res.partner', 'mobile_blacklisted', async (scope, ids) => {
  const { rows } = await scope.env.cr.raw(`select p.id, p.mobile from res_partner p where p.id = any(?)
      and exists (select 1 from phone_blacklist b where b.active and b.number = p.phone_sanitized)`, [ids]);
  const out = new Map<number, unknown>(ids.map((id) => [id, false]));
  for (const r of rows) out.set(r.id, !!r.mobile);
  return out;
});
defineCompute('res.partner', 'phone_blacklisted', async (scope, ids) => {
  const { rows } = await scope.env.cr.raw(`select p.id, p.mobile, p.phone from res_partner p where p.id = any(?)
      and exists (select 1 from phone_blacklist b where b.active and b.number = p.phone_sanitized)`, [ids]);
  const out = new Map<number, unknown>(ids.map((id) => [id, false]));
  for (const r of rows) out.set(r.id, !!r.phone && !r.mobile);
  return out;
});
function phoneBlacklisted(scope: Scope, ids: number[]) {
  return byId(scope, ids, `select p.id, exists (select 1 from phone_blacklist b where b.active and b.number = p.phone_sanitized) as value
                             from res_partner p where p.id = any(?)`, [ids], false);
}
/** phone_mobile_search only searches: it reads as False. */
defineCompute('res.partner', 'phone_mobile_search', constant(null));
/** signup_token (a column Odoo reads in SQL) and signup_valid: a token not expired. */
defineCompute('res.partner', 'signup_token', (scope, ids) => byId(scope, ids, `select id, signup_token as value from res_partner where id = any(?)`, [ids]));
defineCompute('res.partner', 'signup_valid', (scope, ids) =>
  byId(scope, ids, `select id, (signup_token is not null and signup_token <> '' and (signup_expiration is null or now() at time zone 'UTC' <= signup_expiration)) as value
                      from res_partner where id = any(?)`, [ids], false));

// ---------------------------------------------------------------- account, account_edi_ubl_cii

/** currency_id: the partner's company's currency, else the current company's. */
defineCompute('res.partner', 'currency_id', async (scope, ids) =>
  byId(scope, ids, `select p.id, coalesce(pc.currency_id, (select currency_id from res_company where id = ?)) as value
                      from res_partner p left join res_company pc on pc.id = p.company_id where p.id = any(?)`, [scope.companyId, ids]));
/** fiscal_country_codes: the fiscal country codes of its company, else of the allowed companies. */
defineCompute('res.partner', 'fiscal_country_codes', fiscalCountryCodes('res_partner'));
export function fiscalCountryCodes(table: string) {
  return async (scope: Scope, ids: number[]) => {
    const user = await userInfo(scope.env);
    return byId(scope, ids, `select r.id, coalesce((select c.code from res_company pc join res_country c on c.id = pc.account_fiscal_country_id where pc.id = r.company_id),
                                        (select string_agg(coalesce(x.code, ''), ',' order by x.pos) from (
                                           select c.code, min(array_position(?::int[], pc.id)) as pos
                                             from res_company pc join res_country c on c.id = pc.account_fiscal_country_id where pc.id = any(?)
                                            group by c.id, c.code) x)) as value
                               from "${table}" r where r.id = any(?)`, [user.companyIds, user.companyIds, ids], false);
  };
}
/** is_coa_installed: a default (not stored): the current company has a chart of accounts. */
defineCompute('res.partner', 'is_coa_installed', (scope, ids) =>
  byId(scope, ids, `select p.id, (select chart_template is not null and chart_template <> '' from res_company where id = ?) as value from res_partner p where p.id = any(?)`, [scope.companyId, ids], false));
defineCompute('res.partner', 'show_credit_limit', (scope, ids) =>
  byId(scope, ids, `select p.id, (select coalesce(account_use_credit_limit, false) from res_company where id = ?) as value from res_partner p where p.id = any(?)`, [scope.companyId, ids], false));
defineCompute('res.partner', 'hide_peppol_fields', (scope, ids) =>
  byId(scope, ids, `select id, (ubl_cii_format is null or ubl_cii_format = 'facturx') as value from res_partner where id = any(?)`, [ids], true));
/** credit / debit: the residual of posted receivable / payable lines not reconciled, in the current root company. */
for (const [field, type, sign] of [['credit', 'asset_receivable', 1], ['debit', 'liability_payable', -1]] as const) {
  defineCompute('res.partner', field, (scope, ids) =>
    byId(scope, ids, `select l.partner_id as id, ${sign} * sum(l.amount_residual) as value
                        from account_move_line l join account_account a on a.id = l.account_id
                        join res_company lc on lc.id = l.company_id
                       where l.partner_id = any(?) and l.parent_state = 'posted' and l.reconciled is not true and a.account_type = ?
                         and split_part(lc.parent_path, '/', 1)::int = (select split_part(parent_path, '/', 1)::int from res_company where id = ?)
                       group by l.partner_id`, [ids, type, scope.companyId], 0));
}
defineCompute('res.partner', 'journal_item_count', (scope, ids) => countOf(scope, ids, 'account.move.line', []));
defineCompute('res.partner', 'bank_account_count', (scope, ids) => countOf(scope, ids, 'res.partner.bank', []));
defineCompute('res.partner', 'payment_token_count', (scope, ids) => countOf(scope, ids, 'payment.token', []));
defineCompute('res.partner', 'supplier_invoice_count', (scope, ids) => treeCounts(scope, ids, 'account.move', [['move_type', 'in', ['in_invoice', 'in_refund']]]));
defineCompute('res.partner', 'pos_order_count', (scope, ids) => treeCounts(scope, ids, 'pos.order', []));
defineCompute('res.partner', 'sale_order_count', (scope, ids) => treeCounts(scope, ids, 'sale.order', []));
/** duplicated_bank_account_partners_count: bank accounts of others with one of its numbers and banks. */
defineCompute('res.partner', 'duplicated_bank_account_partners_count', (scope, ids) =>
  byId(scope, ids, `select p.id, count(distinct o.id)::int as value from res_partner p
                      join res_partner_bank b on b.partner_id = p.id
                      join res_partner_bank o on o.acc_number = b.acc_number and o.bank_id is not distinct from b.bank_id and o.partner_id <> p.id and o.active
                       and (p.company_id is null or o.company_id is null or o.company_id = p.company_id)
                     where p.id = any(?) group by p.id`, [ids], 0));
/** use_partner_credit_limit: its credit limit differs from the company default (ir.property). */
defineCompute('res.partner', 'use_partner_credit_limit', (scope, ids) =>
  byId(scope, ids, `with f as (select id from ir_model_fields where model = 'res.partner' and name = 'credit_limit'),
                         d as (select coalesce((select value_float from ir_property where fields_id = (select id from f) and res_id is null
                                                   and (company_id = ? or company_id is null) order by company_id is null limit 1), 0) as v)
                    select p.id, coalesce((select value_float from ir_property where fields_id = (select id from f) and res_id = 'res.partner,' || p.id
                                             and (company_id = ? or company_id is null) order by company_id is null limit 1), (select v from d)) <> (select v from d) as value
                      from res_partner p where p.id = any(?)`, [scope.companyId, scope.companyId, ids], false));

async function countOf(scope: Scope, ids: number[], model: string, domain: unknown[]) {
  const counts = await countPer(scope, model, [['partner_id', 'in', ids], ...domain], 'partner_id');
  return new Map(ids.map((id) => [id, counts.get(id) ?? 0]));
}

// ---------------------------------------------------------------- helpers

/** An address in an email (tools.email_normalize_all finds them the same way, roughly). */
const EMAIL_RE = /[^\s<>"',;()@]+@[^\s<>"',;()@]+\.[^\s<>"',;()@]+/g;

/** Python's email.utils.formataddr as Odoo's tools.formataddr calls it: the name always quoted. */
function formataddr(name: string, address: string): string {
  return `"${name.replace(/([\\"])/g, '\\$1')}" <${address}>`;
}

/** str.strip(chars): whitespace by default. */
function pyStrip(s: string, chars?: string): string {
  if (!chars) return s.trim();
  const set = new Set(chars);
  let a = 0;
  let b = s.length;
  while (a < b && set.has(s[a])) a++;
  while (b > a && set.has(s[b - 1])) b--;
  return s.slice(a, b);
}

/** '+HHMM' of a time zone now, as datetime.now(pytz.timezone(tz)).strftime('%z'). */
export function tzOffset(tz: string): string {
  let minutes = 0;
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz === 'GMT' ? 'UTC' : tz, timeZoneName: 'longOffset' }).formatToParts(new Date());
    const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(parts.find((p) => p.type === 'timeZoneName')?.value ?? '');
    if (m) minutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
  } catch {
    minutes = 0; // an unknown zone: pytz would raise; GMT is what Odoo's own default gives
  }
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

// ---------------------------------------------------------------- invoicing figures (account, sale), pricelists (product), signup (auth_signup)

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

import { defineCompute } from '../compute';
import { byId, constant, countPer, treeCounts } from './helpers';
import { userInfo } from '../user';
import { Scope } from '../domain';

/**
 * res.partner's non-stored computed fields, as base, mail, account, point_of_sale, sale,
 * payment, phone_validation and account_edi_ubl_cii compute them in Odoo 17 (invoicing figures,
 * pricelist and signup URL: partner-invoicing.ts).
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

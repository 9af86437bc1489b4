import { defineDisplayName } from '../display_name';
import { byId } from './helpers';
import { hasTable } from '../../auth/schema-probe';
import { Scope } from '../domain';
import { ModelDef } from '../registry';
import { sql, ident, raw } from '../sql';
import { CurrencyFormat, formatLang, langFormat } from './format';

/**
 * display_name of the comodels the loyalty, POS, membership, partner and product models point
 * at, as their Odoo 17 _compute_display_name builds it. Each is one query for all ids; where
 * one SQL expression gives the name, reads join it into their row query.
 */

/** A translated jsonb column in the call's language, with Odoo's en_US fallback. */
const tr = (expr: string) => `coalesce(${expr}->>?, ${expr}->>'en_US')`;

/** How many times an expression takes the language (its `?`s). */
const langCount = (expr: string) => expr.split('?').length - 1;

/** A namer from one SQL expression over alias `t` (every `?` in it is the call's language). */
function exprNamer(expr: string) {
  const langs = langCount(expr);
  return (scope: Scope, model: ModelDef, ids: number[]) =>
    byId(scope, ids, `select t.id, ${expr} as value from "${model.table}" t where t.id = any(?)`, [...Array(langs).fill(scope.lang), ids], '');
}
function exprSql(expr: string) {
  const langs = langCount(expr);
  return (scope: Scope, _model: ModelDef, alias: string) => {
    const parts = expr.replace(/\bt\./g, `${ident(alias).text}.`).split('?');
    let out = sql`${raw(parts[0])}`;
    for (let i = 1; i < parts.length; i++) out = sql`${out}${i <= langs ? scope.lang : null}${raw(parts[i])}`;
    return out;
  };
}
function byExpression(model: string, expr: string) {
  defineDisplayName(model, exprNamer(expr), exprSql(expr));
}

// account.account: "<code> <name>"
byExpression('account.account', `coalesce(t.code, '') || ' ' || coalesce(${tr('t.name')}, '')`);
// res.country.state: "<name> (<country code>)"
byExpression('res.country.state', `coalesce(t.name, '') || ' (' || coalesce((select c.code from res_country c where c.id = t.country_id), '') || ')'`);
// stock.picking.type: "<warehouse>: <name>" when it has a warehouse
byExpression('stock.picking.type',
  `coalesce((select w.name || ': ' from stock_warehouse w where w.id = t.warehouse_id), '') || coalesce(${tr('t.name')}, '')`);
// pos.config: "<name> (<user of its last session>)", or "(not used)" when none is open
byExpression('pos.config', `coalesce(t.name, '') || ' (' || coalesce((select case when s.state = 'closed' then null else p.name end
    from pos_session s join res_users u on u.id = s.user_id join res_partner p on p.id = u.partner_id
   where s.config_id = t.id order by s.id desc limit 1), 'not used') || ')'`);

/** account.move.line: _format_aml_name(name or the product's name, move ref, move name). */
defineDisplayName('account.move.line', async (scope, model, ids) => {
  const { rows } = await scope.env.cr.raw(
    `select l.id, l.name, l.product_id, m.name as move_name, m.ref from account_move_line l join account_move m on m.id = l.move_id where l.id = any(?)`, [ids]);
  const products = [...new Set(rows.filter((r: { name: string | null; product_id: number | null }) => !r.name && r.product_id).map((r: { product_id: number }) => r.product_id))] as number[];
  const productNames = products.length ? await productDisplayNames(scope, products) : new Map<number, unknown>();
  const out = new Map<number, unknown>(ids.map((id) => [id, '']));
  for (const r of rows as Array<{ id: number; name: string | null; product_id: number | null; move_name: string | null; ref: string | null }>) {
    const line = r.name || (r.product_id ? String(productNames.get(r.product_id) ?? '') : '');
    const names: string[] = [];
    if (r.move_name && r.move_name !== '/') names.push(r.move_name);
    if (r.ref && r.ref !== '/') names.push(`(${r.ref})`);
    if (line && line !== r.move_name && line !== '/') names.push(line);
    out.set(r.id, names.join(' '));
  }
  return out;
});

/**
 * product.product: "[code] name (values)", the values being the names of its attribute values
 * that are not from a single-value line nor of a no_variant attribute, in the values' _order
 * (attribute line, then attribute value), as _get_combination_name joins them.
 */
export async function productDisplayNames(scope: Scope, ids: number[]): Promise<Map<number, unknown>> {
  // A standalone database made by an earlier version (its schema migration applied before the
  // attribute tables joined it) has no attribute lines: no product there has values to name.
  if (!(await hasTable(scope.env.app.db.knex, 'product_template_attribute_line'))) {
    return byId(scope, ids, `
    select p.id, case when p.default_code is not null and p.default_code <> '' then '[' || p.default_code || '] ' else '' end
           || coalesce(${tr('t.name')}, '') as value
      from product_product p join product_template t on t.id = p.product_tmpl_id where p.id = any(?)`, [scope.lang, ids], '');
  }
  return byId(scope, ids, `
    select p.id, case when p.default_code is not null and p.default_code <> '' then '[' || p.default_code || '] ' else '' end
           || coalesce(${tr('t.name')}, '')
           || coalesce(' (' || (select string_agg(${tr('av.name')}, ', ' order by al.sequence, la.sequence, la.id, al.id, va.sequence, va.id, av.sequence, av.id, v.id)
                 from product_variant_combination c
                 join product_template_attribute_value v on v.id = c.product_template_attribute_value_id
                 join product_template_attribute_line al on al.id = v.attribute_line_id
                 join product_attribute la on la.id = al.attribute_id
                 join product_attribute_value av on av.id = v.product_attribute_value_id
                 join product_attribute va on va.id = av.attribute_id
                where c.product_product_id = p.id and la.create_variant <> 'no_variant'
                  and (select count(*) from product_template_attribute_value o where o.attribute_line_id = v.attribute_line_id
                         and (o.ptav_active or not all_active.flag)) <> 1) || ')', '') as value
      from product_product p join product_template t on t.id = p.product_tmpl_id,
           lateral (select coalesce(bool_and(x.ptav_active), true) as flag from product_variant_combination y
                      join product_template_attribute_value x on x.id = y.product_template_attribute_value_id where y.product_product_id = p.id) all_active
     where p.id = any(?)`, [scope.lang, scope.lang, ids], '');
}
defineDisplayName('product.product', (scope, _model, ids) => productDisplayNames(scope, ids));

/** pos.payment: "[name ]<amount in its order's currency>" (formatLang). */
defineDisplayName('pos.payment', async (scope, _model, ids) => {
  const { rows } = await scope.env.cr.raw(
    `select p.id, p.name, p.amount, cur.symbol, cur.position, cur.rounding, cur.decimal_places
       from pos_payment p join pos_order o on o.id = p.pos_order_id join pos_config c on c.id = o.config_id
       left join account_journal j on j.id = c.journal_id left join res_company jc on jc.id = j.company_id
       left join res_company cc on cc.id = c.company_id join res_currency cur on cur.id = coalesce(j.currency_id, jc.currency_id, cc.currency_id)
      where p.id = any(?)`, [ids]);
  const lang = await langFormat(scope);
  const out = new Map<number, unknown>(ids.map((id) => [id, '']));
  for (const r of rows as Array<CurrencyFormat & { id: number; name: string | null; amount: string }>) {
    const amount = formatLang(Number(r.amount), r, lang);
    out.set(r.id, r.name ? `${r.name} ${amount}` : amount);
  }
  return out;
});

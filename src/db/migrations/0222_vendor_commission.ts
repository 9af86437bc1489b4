import { Knex } from 'knex';

/**
 * vendor_commission: what a marketplace pays each vendor (a partner) per product category, as
 * Odoo would create the table of the bridge addon's `vendor.commission` model (int4 foreign
 * keys with Odoo's constraint names, timestamps without time zone, the audit columns), so
 * that installing the addon changes no column. Served through execute_kw by the sidecar
 * (src/orm/builtin-models.ts) whether or not the addon is installed.
 *
 * vendor_commission_line: one row per paid POS order line (refunds negative: their qty and
 * subtotal are), its vendor (the product's main supplier: product_supplierinfo of its template,
 * lowest sequence then id, of the order's company or none), the rule that applies (the most
 * specific active rule of that vendor and company valid on the order's day: its exact category,
 * then the nearest parent category by product_category.parent_path, then a rule for every
 * category; ties go to the latest date_from, then the highest id) and the commission
 * (percentage of the tax-excluded subtotal, or fixed per unit), rounded to the cent per line.
 * Needs Odoo's POS and product tables: skipped where they are missing.
 */
const VIEW_TABLES = ['pos_order', 'pos_order_line', 'product_product', 'product_template', 'product_category', 'product_supplierinfo'];

export async function up(db: Knex): Promise<void> {
  for (const t of ['res_partner', 'res_company', 'product_category', 'res_users']) if (!(await db.schema.hasTable(t))) return;
  await db.raw(`
    create table if not exists vendor_commission (
      id serial primary key,
      vendor_id integer not null constraint vendor_commission_vendor_id_fkey references res_partner (id) on delete restrict,
      categ_id integer constraint vendor_commission_categ_id_fkey references product_category (id) on delete cascade,
      commission_type varchar not null,
      value numeric not null,
      date_from date,
      date_to date,
      active boolean default true,
      company_id integer not null constraint vendor_commission_company_id_fkey references res_company (id) on delete restrict,
      create_uid integer constraint vendor_commission_create_uid_fkey references res_users (id) on delete set null,
      create_date timestamp without time zone,
      write_uid integer constraint vendor_commission_write_uid_fkey references res_users (id) on delete set null,
      write_date timestamp without time zone
    )`);
  await db.raw('create index if not exists vendor_commission_vendor_id_index on vendor_commission (vendor_id)');
  for (const t of VIEW_TABLES) if (!(await db.schema.hasTable(t))) return;
  await db.raw(`
    create or replace view vendor_commission_line as
    with line as (
      select l.id, l.order_id, l.id as line_id, o.date_order as date, l.product_id, t.categ_id, o.company_id,
             coalesce(l.price_subtotal, 0) as base_amount, coalesce(l.qty, 0) as qty,
             (select si.partner_id from product_supplierinfo si
               where si.product_tmpl_id = p.product_tmpl_id
                 and (si.product_id is null or si.product_id = l.product_id)
                 and (si.company_id is null or si.company_id = o.company_id)
               order by si.sequence nulls last, si.id limit 1) as vendor_id
        from pos_order_line l
        join pos_order o on o.id = l.order_id
        join product_product p on p.id = l.product_id
        join product_template t on t.id = p.product_tmpl_id
       where o.state in ('paid', 'done', 'invoiced')
    )
    select line.id, line.order_id, line.line_id, line.date, line.vendor_id, line.product_id, line.categ_id, line.company_id,
           rule.id as rule_id, line.base_amount, line.qty,
           coalesce(case rule.commission_type
                      when 'percentage' then round(line.base_amount * rule.value / 100, 2)
                      when 'fixed' then round(line.qty * rule.value, 2)
                    end, 0) as commission_amount
      from line
      left join product_category lc on lc.id = line.categ_id
      left join lateral (
        select vc.id, vc.commission_type, vc.value
          from vendor_commission vc
          left join product_category rc on rc.id = vc.categ_id
         where vc.vendor_id = line.vendor_id and vc.active and vc.company_id = line.company_id
           and (vc.date_from is null or vc.date_from <= line.date::date)
           and (vc.date_to is null or vc.date_to >= line.date::date)
           and (vc.categ_id is null or vc.categ_id = line.categ_id
                or (rc.parent_path is not null and lc.parent_path like rc.parent_path || '%'))
         order by coalesce(length(rc.parent_path), -1) desc, vc.date_from desc nulls last, vc.id desc
         limit 1
      ) rule on true`);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop view if exists vendor_commission_line');
  await db.raw('drop table if exists vendor_commission');
}

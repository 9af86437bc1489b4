import { Knex } from 'knex';

/**
 * Membership tiers (issue 7): the sidecar's own columns on Odoo's tables, and the run log
 * the hourly job uses to find what changed since its last run. Every statement is
 * idempotent and skips a table that does not exist, so it is safe on a live Odoo database.
 */
const statements = [
  // A tier is a membership product with a qualifying spend, a window (days) and a rank.
  `alter table if exists product_template add column if not exists membership_min_amount numeric`,
  `alter table if exists product_template add column if not exists membership_window_days integer`,
  `alter table if exists product_template add column if not exists membership_rank integer`,
  // A program linked to a tier applies only to partners in that tier or a higher one.
  `alter table if exists loyalty_program add column if not exists membership_product_id integer`,
  `alter table if exists loyalty_program add column if not exists is_primary_loyalty boolean`,
  // The tier the partner held when the sidecar processed the order.
  `alter table if exists pos_order add column if not exists membership_product_id integer`,
  // The spend that qualified a tier line. Only lines the sidecar grants carry it: it is how
  // the sidecar tells its own lines from memberships bought on an invoice.
  `alter table if exists membership_membership_line add column if not exists member_transaction_amount_total numeric`,
  `create index if not exists membership_membership_line__sidecar_tier_index
     on membership_membership_line (partner) where member_transaction_amount_total is not null`,
  `create table if not exists sidecar_membership_run (
     id serial primary key,
     kind varchar not null check (kind in ('full', 'changed')),
     as_of timestamp without time zone not null,
     finished_at timestamp without time zone not null default (now() at time zone 'utc'),
     partners integer not null,
     lines_opened integer not null,
     lines_closed integer not null
   )`,
];

const foreignKeys: Array<[table: string, name: string, sql: string]> = [
  ['loyalty_program', 'loyalty_program_membership_product_id_fkey',
    'foreign key (membership_product_id) references product_product(id) on delete set null'],
  ['pos_order', 'pos_order_membership_product_id_fkey',
    'foreign key (membership_product_id) references product_product(id) on delete set null'],
];

export async function up(db: Knex): Promise<void> {
  for (const sql of statements) {
    if (/^create index/.test(sql) && !(await db.schema.hasTable('membership_membership_line'))) continue;
    await db.raw(sql);
  }
  for (const [table, name, definition] of foreignKeys) {
    if (!(await db.schema.hasTable(table)) || !(await db.schema.hasTable('product_product'))) continue;
    const exists = await db.raw('select 1 from pg_constraint where conname = ?', [name]);
    if (!exists.rows.length) await db.raw(`alter table ${table} add constraint ${name} ${definition}`);
  }
}

export async function down(db: Knex): Promise<void> {
  // Only the run log is the sidecar's alone; the columns may already hold a retailer's tiers.
  await db.raw('drop table if exists sidecar_membership_run');
}

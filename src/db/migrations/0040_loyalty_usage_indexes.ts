import { Knex } from 'knex';

/**
 * The engine counts, on every preview, the orders that carry a usage-limited program's
 * rewards (Odoo's total_order_count). Partial indexes on reward_id keep that count cheap on
 * large order tables; they are the sidecar's own (prefixed) and safe on a live Odoo database.
 */
const statements = [
  `do $$ begin
     if to_regclass('pos_order_line') is not null then
       create index if not exists sidecar_pos_order_line_reward_id_index on pos_order_line (reward_id, order_id) where reward_id is not null;
     end if;
     if to_regclass('sale_order_line') is not null then
       create index if not exists sidecar_sale_order_line_reward_id_index on sale_order_line (reward_id, order_id) where reward_id is not null;
     end if;
   end $$`,
];

export async function up(knex: Knex): Promise<void> {
  for (const s of statements) await knex.raw(s);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists sidecar_pos_order_line_reward_id_index');
  await knex.raw('drop index if exists sidecar_sale_order_line_reward_id_index');
}

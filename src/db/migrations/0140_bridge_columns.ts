import { Knex } from 'knex';

/**
 * Columns the bridge addon (addons-bridge/loyalty_sidecar_bridge) declares on Odoo's tables,
 * with the names and types Odoo 17 gives its fields (Char → varchar, Json → jsonb), so that
 * installing the addon after this migration changes no column, and this migration finds them
 * in place when the addon came first. Idempotent; a table that does not exist is skipped.
 */
const statements = [
  // The partner's own code to refer others with: issued by the sidecar (partner-created hook,
  // referral-codes job), unique.
  `alter table if exists res_partner add column if not exists referral_code varchar`,
  // The referral code the customer gave at the till.
  `alter table if exists pos_order add column if not exists referral_code_used varchar`,
  // Points Odoo's own confirm_coupon_programs gave each card ({"<card id>": points}) because the
  // sidecar could not be reached: the sidecar takes them back once, when it processes the order
  // itself (src/orders/fallback.ts), so no point is counted twice.
  `alter table if exists pos_order add column if not exists loyalty_fallback_points jsonb`,
];

export async function up(db: Knex): Promise<void> {
  for (const sql of statements) await db.raw(sql);
  if (await db.schema.hasTable('res_partner')) {
    // Not an Odoo _sql_constraint: a sidecar index (its name says so), which uninstalling the
    // addon never drops. NULLs (partners without a code yet) do not collide.
    await db.raw('create unique index if not exists res_partner_referral_code_sidecar_uniq on res_partner (referral_code)');
  }
  if (await db.schema.hasTable('loyalty_card')) {
    // Cards Odoo's own code created for an order while the sidecar was unreachable are found by
    // their order when the sidecar processes it (src/orders/cards.ts cardsOdooCreated).
    await db.raw(`create index if not exists sidecar_loyalty_card_source_pos_order_id_index
                    on loyalty_card (source_pos_order_id) where source_pos_order_id is not null`);
  }
}

export async function down(): Promise<void> {
  // The columns may hold a retailer's data (codes customers were given): never dropped automatically.
}

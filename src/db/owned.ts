/**
 * What the sidecar's migrations add to Odoo's schema. Odoo's own part of a standalone
 * database must match Odoo 17 exactly (the schema-parity and seed tests); these additions are
 * the sidecar's and are left out of those comparisons. Tables named sidecar_* and indexes
 * whose name contains "sidecar" are the sidecar's by name; add everything else here.
 */
export const SIDECAR_OWNED = {
  /** Tables of the sidecar that carry Odoo-style names (the bridge addon declares them as models). */
  tables: ['loyalty_point_move', 'loyalty_point_history', 'vendor_commission'],
  /** Report views (migrations 0220, 0222), read by models the bridge addon declares with `_auto = False`. */
  views: ['promotion_result', 'promotion_result_live', 'promotion_result_details', 'pos_order_first', 'vendor_commission_line'],
  /** Columns added to Odoo's tables, as table.column. */
  columns: [
    'loyalty_program.points_validity_days',
    'loyalty_program.membership_product_id',
    'loyalty_program.is_primary_loyalty',
    'membership_membership_line.member_transaction_amount_total',
    'pos_order.membership_product_id',
    'product_template.membership_min_amount',
    'product_template.membership_window_days',
    'product_template.membership_rank',
    'res_partner.referral_code',
    'pos_order.referral_code_used',
    'pos_order.loyalty_fallback_points',
    'loyalty_program.referral_points',
  ],
  /** Models over the sidecar's tables, served from src/orm/builtin-models.ts (no ir_model rows: the bridge addon registers them). */
  models: [
    'loyalty.point.move', 'loyalty.point.history', 'sidecar.job.run',
    'promotion.result', 'promotion.result.details', 'pos.order.first', 'vendor.commission', 'vendor.commission.line',
  ],
};

/** The sidecar's columns on one of Odoo's tables. */
export const ownedColumns = (table: string): string[] =>
  SIDECAR_OWNED.columns.filter((c) => c.startsWith(table + '.')).map((c) => c.slice(table.length + 1));

/**
 * Whether a schema fact of the parity test ("column t.c …", "constraint t.name … (c) …",
 * "index t.name …") belongs to the sidecar.
 */
export function isOwnedFact(fact: string): boolean {
  const m = /^(column|constraint|index) (\w+)\.(\S+)/.exec(fact);
  if (!m) return false;
  const [, kind, table, name] = m;
  if (kind === 'column') return ownedColumns(table).includes(name);
  if (kind === 'index') return name.includes('sidecar');
  return ownedColumns(table).some((c) => fact.includes(`KEY (${c})`));
}

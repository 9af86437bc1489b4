/**
 * What Odoo 17 keeps only in its Python class definitions, not in ir_model / ir_model_fields:
 * a model's _rec_name and hierarchy, and per field company_dependent, digits, change_default,
 * the @api.depends of computed fields and whether a non-stored field has a search method.
 * Everything else about a field is read from the database (registry.ts).
 */

export interface ModelTraits {
  /** _rec_name when it is not 'name' (null: the model has none, display_name is "model,id"). */
  recName?: string | null;
  parentName?: string;
  parentStore?: boolean;
  /** _rec_names_search: the fields name_search (and many2one-by-name leaves) look in. */
  recNamesSearch?: string[];
  /** _table when it differs from the model name (ir.actions.report → ir_act_report_xml). */
  table?: string;
}

export interface FieldTraits {
  companyDependent?: boolean;
  digits?: [number, number] | 0;
  changeDefault?: boolean;
  depends?: string[];
  searchable?: boolean;
  /** A one2many's domain= in Python (not in ir_model_fields): only matching lines are read. */
  readDomain?: unknown[];
  /** A selection Odoo computes in Python; '%s' stands for the company currency's symbol. */
  selection?: Array<[string, Record<string, string>]>;
}

const MODELS: Record<string, ModelTraits> = {
  'loyalty.card': { recName: 'code' },
  // models whose _table is not their name with dots as underscores
  'ir.actions.report': { table: 'ir_act_report_xml' },
  'ir.actions.act_window': { table: 'ir_act_window' },
  'ir.actions.server': { table: 'ir_act_server' },
  'ir.actions.client': { table: 'ir_act_client' },
  'ir.actions.act_url': { table: 'ir_act_url' },
  'loyalty.reward': { recName: 'description' },
  'loyalty.rule': { recName: null },
  'membership.membership_line': { recName: 'partner' },
  'product.category': { parentName: 'parent_id', parentStore: true },
  'res.partner': { parentName: 'parent_id', recNamesSearch: ['complete_name', 'email', 'ref', 'vat', 'company_registry'] },
  'product.product': { recNamesSearch: ['default_code', 'name'] },
  'product.template': { recNamesSearch: ['name', 'default_code'] },
  'res.company': { parentName: 'parent_id', parentStore: true },
  'mail.followers': { recName: null },
  'pos.order.line': { recName: 'product_id' },
  'stock.location': { recName: 'complete_name' },
  'res.users': { recName: 'name' },
  'res.users.settings': { recName: 'user_id' },
  'res.groups': { recName: 'full_name' },
  'sidecar.job.run': { recName: 'job' },
  // The report views (migration 0220) are named after what a row is about.
  'promotion.result': { recName: 'program_id' },
  'promotion.result.details': { recName: 'order_id' },
  'pos.order.first': { recName: 'partner_id' },
};

const PRICE: [number, number] = [16, 2];
const DISCOUNT_DIGITS = 0 as const;

/** Fields product.product shares with its template (through _inherits). */
const PRODUCT_FIELDS: Record<string, FieldTraits> = {
  standard_price: { companyDependent: true, digits: PRICE },
  list_price: { digits: PRICE },
  incoming_qty: { digits: PRICE },
  outgoing_qty: { digits: PRICE },
  qty_available: { digits: PRICE },
  virtual_available: { digits: PRICE },
  sales_count: { digits: PRICE },
  volume: { digits: PRICE },
  weight: { digits: PRICE },
};

const FIELDS: Record<string, Record<string, FieldTraits>> = {
  'res.partner': {
    child_ids: { readDomain: [['active', '=', true]] },
    barcode: { companyDependent: true },
    credit_limit: { companyDependent: true },
    trust: { companyDependent: true },
    property_account_payable_id: { companyDependent: true },
    property_account_position_id: { companyDependent: true },
    property_account_receivable_id: { companyDependent: true },
    property_payment_method_id: { companyDependent: true },
    property_payment_term_id: { companyDependent: true },
    property_product_pricelist: { companyDependent: false },
    property_stock_customer: { companyDependent: true },
    property_stock_supplier: { companyDependent: true },
    property_supplier_payment_term_id: { companyDependent: true },
    membership_amount: { digits: PRICE },
    partner_latitude: { digits: [10, 7] },
    partner_longitude: { digits: [10, 7] },
  },
  'res.users': {
    property_warehouse_id: { companyDependent: true },
    membership_amount: { digits: PRICE },
    partner_latitude: { digits: [10, 7] },
    partner_longitude: { digits: [10, 7] },
  },
  'product.template': {
    ...PRODUCT_FIELDS,
    // the template's cost is computed from its single variant's (computed/product.ts), not a property of its own
    standard_price: { digits: PRICE },
    property_account_expense_id: { companyDependent: true },
    property_account_income_id: { companyDependent: true },
    property_stock_inventory: { companyDependent: true },
    property_stock_production: { companyDependent: true },
    responsible_id: { companyDependent: true },
  },
  'product.product': {
    ...PRODUCT_FIELDS,
    lst_price: { digits: PRICE },
    price_extra: { digits: PRICE },
    free_qty: { digits: PRICE },
  },
  'membership.membership_line': { member_price: { digits: PRICE } },
  'pos.order': {
    amount_paid: { digits: 0 },
    amount_return: { digits: 0 },
    amount_tax: { digits: 0 },
    amount_total: { digits: 0 },
    currency_rate: { digits: 0 },
    margin_percent: { digits: [12, 4] },
    next_online_payment_amount: { digits: 0 },
    tip_amount: { digits: 0 },
    partner_id: { changeDefault: true },
  },
  'pos.order.line': {
    discount: { digits: DISCOUNT_DIGITS },
    margin_percent: { digits: [12, 4] },
    price_subtotal: { digits: 0 },
    price_subtotal_incl: { digits: 0 },
    price_unit: { digits: 0 },
    qty: { digits: PRICE },
    total_cost: { digits: PRICE },
  },
  'product.category': {
    property_cost_method: { companyDependent: true },
    property_valuation: { companyDependent: true },
    property_account_income_categ_id: { companyDependent: true },
    property_account_expense_categ_id: { companyDependent: true },
    property_stock_account_input_categ_id: { companyDependent: true },
    property_stock_account_output_categ_id: { companyDependent: true },
    property_stock_valuation_account_id: { companyDependent: true },
    property_stock_journal: { companyDependent: true },
    property_account_creditor_price_difference_categ: { companyDependent: true },
  },
  'account.tax': {
    invoice_repartition_line_ids: { readDomain: [['document_type', '=', 'invoice']] },
    refund_repartition_line_ids: { readDomain: [['document_type', '=', 'refund']] },
  },
  'res.company': {
    bank_journal_ids: { readDomain: [['type', '=', 'bank']] },
  },
  'loyalty.reward': {
    discount_mode: {
      selection: [
        ['percent', { en_US: '%' }],
        ['per_point', { en_US: '%s per point', fr_FR: '%s par point' }],
        ['per_order', { en_US: '%s per order', fr_FR: '%s par commande' }],
      ],
    },
  },
  'loyalty.rule': {
    reward_point_mode: {
      selection: [
        ['order', { en_US: 'per order' }],
        ['money', { en_US: 'per %s spent' }],
        ['unit', { en_US: 'per unit paid' }],
      ],
    },
    any_product: { depends: ['product_ids', 'product_category_id', 'product_tag_id'] },
    valid_product_ids: { depends: ['product_ids', 'product_category_id', 'product_tag_id'] },
    code: { depends: ['mode'] },
    mode: { depends: ['code'] },
    promo_barcode: { depends: ['code'] },
    user_has_debug: { depends: ['mode'] },
  },
};

export function modelTraits(model: string): ModelTraits {
  return MODELS[model] ?? {};
}

export function fieldTraits(model: string, field: string): FieldTraits {
  return FIELDS[model]?.[field] ?? {};
}

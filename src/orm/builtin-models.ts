/**
 * Models over the sidecar's own tables (the points ledger, the card history, the job runs, the
 * report views of migration 0220),
 * described here so that the sidecar serves them through execute_kw whether or not Odoo knows
 * them. Odoo knows them only once the bridge addon is installed: its models register them in
 * ir_model / ir_model_fields under its module's external ids, and the registry then reads
 * those rows as for any model. Without the addon there are no rows (rows without a module
 * behind them make Odoo's ir.model reads fail and every module upgrade warn), and the
 * registry adds the descriptions below instead. The addon declares the same fields, with the
 * same types and labels (test/odoo/bridge.test.ts compares both).
 *
 * Most are read-only: points change through the ledger only, runs are recorded by the jobs,
 * report views are computed. A model with `writers` (the vendor commission rules) is written
 * through the ORM's one write path by those groups (src/models/vendor-commission.ts adds its
 * defaults and constraints).
 */
import { FieldDef, FieldType, ModelDef, Translations } from './registry';
import { AccessRow, RuleRow } from './security';

type Extra = { relation?: string; required?: boolean; related?: string; store?: boolean; selection?: Array<[string, string]> };
type Field = [name: string, type: FieldType, label: string, extra?: Extra];

interface BuiltinModel {
  model: string;
  table: string;
  label: string;
  order: string;
  fields: Field[];
  /** Groups (by external id) that may read. */
  readers: string[];
  /** Groups that may also write, create and unlink; none: nobody may (the fields are read-only). */
  writers?: string[];
  /** Multi-company record rule on company_id, as the addon's ir.rule. */
  companyRule: boolean;
}

const AUDIT: Field[] = [
  ['id', 'integer', 'ID'],
  ['display_name', 'char', 'Display Name', { store: false }],
  ['create_uid', 'many2one', 'Created by', { relation: 'res.users' }],
  ['create_date', 'datetime', 'Created on'],
  ['write_uid', 'many2one', 'Last Updated by', { relation: 'res.users' }],
  ['write_date', 'datetime', 'Last Updated on'],
];

/** A report view has no audit columns: Odoo gives `_auto = False` models none (no _log_access). */
const VIEW_ROW: Field[] = [
  ['id', 'integer', 'ID'],
  ['display_name', 'char', 'Display Name', { store: false }],
];

/** Where a report row was sold: its records' company (the multi-company rule reads it) and till. */
const SOLD_AT: Field[] = [
  ['company_id', 'many2one', 'Company', { relation: 'res.company' }],
  ['config_id', 'many2one', 'Point of Sale', { relation: 'pos.config' }],
];

/**
 * Who reads the reports: POS users (a manager implies it), as they read the orders the rows
 * come from; the company rule keeps other companies' rows away as pos.order's rule does.
 */
const REPORT_READERS = ['point_of_sale.group_pos_user'];

const CARD_RELATED: Field[] = [
  ['partner_id', 'many2one', 'Customer', { relation: 'res.partner', related: 'card_id.partner_id', store: false }],
  ['program_id', 'many2one', 'Program', { relation: 'loyalty.program', related: 'card_id.program_id', store: false }],
];

export const BUILTIN_MODELS: BuiltinModel[] = [
  {
    model: 'loyalty.point.move',
    table: 'loyalty_point_move',
    label: 'Loyalty Point Move',
    order: 'id desc',
    readers: ['base.group_user'],
    companyRule: true,
    fields: [
      ['card_id', 'many2one', 'Card', { relation: 'loyalty.card', required: true }],
      ['kind', 'selection', 'Kind', {
        required: true,
        selection: [['opening', 'Opening balance'], ['earn', 'Earned'], ['redeem', 'Redeemed'], ['expire', 'Expired'], ['adjust', 'Adjustment'], ['refund', 'Refund']],
      }],
      ['points', 'float', 'Points', { required: true }],
      ['remaining', 'float', 'Remaining in lot'],
      ['expiration_date', 'date', 'Valid until'],
      ['lot_id', 'many2one', 'Expired lot', { relation: 'loyalty.point.move' }],
      ['pos_order_id', 'many2one', 'POS Order', { relation: 'pos.order' }],
      ['reference', 'char', 'Reference'],
      ['reason', 'text', 'Reason'],
      ['idempotency_key', 'char', 'Idempotency Key'],
      ['company_id', 'many2one', 'Company', { relation: 'res.company' }],
      ...CARD_RELATED,
      ...AUDIT,
    ],
  },
  {
    model: 'loyalty.point.history',
    table: 'loyalty_point_history',
    label: 'History for Loyalty cards and Ewallets',
    order: 'id desc',
    readers: ['base.group_user'],
    companyRule: true,
    fields: [
      ['card_id', 'many2one', 'Card', { relation: 'loyalty.card', required: true }],
      ['company_id', 'many2one', 'Company', { relation: 'res.company' }],
      ['description', 'text', 'Description', { required: true }],
      ['issued', 'float', 'Issued'],
      ['used', 'float', 'Used'],
      ['order_model', 'char', 'Order Model'],
      ['order_id', 'integer', 'Order ID'],
      ...CARD_RELATED,
      ...AUDIT,
    ],
  },
  {
    model: 'sidecar.job.run',
    table: 'sidecar_job_run',
    label: 'Sidecar Job Run',
    order: 'started_at desc, id desc',
    readers: ['base.group_system', 'point_of_sale.group_pos_manager'],
    companyRule: false,
    fields: [
      ['job', 'char', 'Job', { required: true }],
      ['period_key', 'char', 'Period'],
      ['trigger', 'selection', 'Triggered by', {
        required: true,
        selection: [['schedule', 'Sidecar schedule'], ['odoo', 'Odoo scheduled action'], ['cli', 'Command line']],
      }],
      ['state', 'selection', 'Status', { required: true, selection: [['done', 'Done'], ['failed', 'Failed'], ['skipped', 'Skipped']] }],
      ['started_at', 'datetime', 'Started', { required: true }],
      ['finished_at', 'datetime', 'Finished'],
      ['rows_touched', 'integer', 'Rows touched'],
      ['result', 'text', 'Result'],
      ['error', 'text', 'Error'],
      ...AUDIT,
    ],
  },
  {
    model: 'promotion.result',
    table: 'promotion_result',
    label: 'Promotion Result',
    order: 'date desc, id desc',
    readers: REPORT_READERS,
    companyRule: true,
    fields: [
      ['program_id', 'many2one', 'Program', { relation: 'loyalty.program' }],
      ['date', 'date', 'Date'],
      ...SOLD_AT,
      ['order_count', 'integer', 'Orders'],
      ['customer_count', 'integer', 'Customers'],
      ['revenue', 'float', 'Revenue'],
      ['discount_amount', 'float', 'Discount'],
      ['points_issued', 'float', 'Points Issued'],
      ['points_redeemed', 'float', 'Points Redeemed'],
      ['points_expired', 'float', 'Points Expired'],
      ['new_cards', 'integer', 'New Cards'],
      ['refreshed_at', 'datetime', 'Refreshed on'],
      ...VIEW_ROW,
    ],
  },
  {
    model: 'promotion.result.details',
    table: 'promotion_result_details',
    label: 'Promotion Result Details',
    order: 'date desc, id desc',
    readers: REPORT_READERS,
    companyRule: true,
    fields: [
      ['order_id', 'many2one', 'Order', { relation: 'pos.order' }],
      ['line_id', 'many2one', 'Reward Line', { relation: 'pos.order.line' }],
      ['date', 'date', 'Date'],
      ['partner_id', 'many2one', 'Customer', { relation: 'res.partner' }],
      ['program_id', 'many2one', 'Program', { relation: 'loyalty.program' }],
      ['reward_id', 'many2one', 'Reward', { relation: 'loyalty.reward' }],
      ...SOLD_AT,
      ['discount_amount', 'float', 'Discount'],
      ['points_won', 'float', 'Points Won'],
      ['points_spent', 'float', 'Points Spent'],
      ...VIEW_ROW,
    ],
  },
  {
    model: 'pos.order.first',
    table: 'pos_order_first',
    label: 'First POS Order',
    order: 'date_order desc, id desc',
    readers: REPORT_READERS,
    companyRule: true,
    fields: [
      ['partner_id', 'many2one', 'Customer', { relation: 'res.partner' }],
      ['order_id', 'many2one', 'Order', { relation: 'pos.order' }],
      ['date_order', 'datetime', 'Date'],
      ...SOLD_AT,
      ['amount_total', 'float', 'Total'],
      ['referral_code_used', 'char', 'Referral Code Used'],
      ['referrer_id', 'many2one', 'Referrer', { relation: 'res.partner' }],
      ...VIEW_ROW,
    ],
  },
  {
    model: 'vendor.commission',
    table: 'vendor_commission',
    label: 'Vendor Commission',
    order: 'vendor_id, categ_id, date_from desc, id desc',
    readers: ['base.group_user'],
    writers: ['point_of_sale.group_pos_manager', 'base.group_system'],
    companyRule: true,
    fields: [
      ['vendor_id', 'many2one', 'Vendor', { relation: 'res.partner', required: true }],
      ['categ_id', 'many2one', 'Product Category', { relation: 'product.category' }],
      ['commission_type', 'selection', 'Commission Type', { required: true, selection: [['percentage', 'Percentage'], ['fixed', 'Fixed per unit']] }],
      ['value', 'float', 'Value', { required: true }],
      ['date_from', 'date', 'Effective From'],
      ['date_to', 'date', 'Effective To'],
      ['active', 'boolean', 'Active'],
      ['company_id', 'many2one', 'Company', { relation: 'res.company', required: true }],
      ...AUDIT,
    ],
  },
  {
    model: 'vendor.commission.line',
    table: 'vendor_commission_line',
    label: 'Vendor Commission Line',
    order: 'date desc, id desc',
    readers: ['base.group_user'],
    companyRule: true,
    fields: [
      ['order_id', 'many2one', 'Order', { relation: 'pos.order' }],
      ['line_id', 'many2one', 'Order Line', { relation: 'pos.order.line' }],
      ['date', 'datetime', 'Date'],
      ['vendor_id', 'many2one', 'Vendor', { relation: 'res.partner' }],
      ['product_id', 'many2one', 'Product', { relation: 'product.product' }],
      ['categ_id', 'many2one', 'Product Category', { relation: 'product.category' }],
      ['company_id', 'many2one', 'Company', { relation: 'res.company' }],
      ['rule_id', 'many2one', 'Commission Rule', { relation: 'vendor.commission' }],
      ['base_amount', 'float', 'Base Amount'],
      ['qty', 'float', 'Quantity'],
      ['commission_amount', 'float', 'Commission'],
      ...VIEW_ROW,
    ],
  },
];

const AUDIT_NAMES = new Set(AUDIT.map(([name]) => name));

const byName = new Map(BUILTIN_MODELS.map((m) => [m.model, m]));

export const isBuiltinModel = (model: string): boolean => byName.has(model);

/** The model's description, for messages, when no module registered it. */
export const builtinLabel = (model: string): string | undefined => byName.get(model)?.label;

const en = (text: string): Translations => ({ en_US: text });

/** The model as the registry holds it; fields get negative ids (no ir_model_fields row). */
export function builtinModelDef(model: string, columns: Set<string>): ModelDef {
  const m = byName.get(model)!;
  const fields = new Map<string, FieldDef>();
  m.fields.forEach(([name, type, label, extra = {}], i) => {
    const store = extra.store ?? true;
    fields.set(name, {
      id: -1 - i,
      name,
      model,
      type,
      label: en(label),
      help: null,
      relation: extra.relation ?? null,
      relationField: null,
      readDomain: null,
      relationTable: null,
      column1: null,
      column2: null,
      required: extra.required ?? false,
      // Read-only unless the model has writers: the ledger, the jobs and the views fill the others.
      readonly: !m.writers || AUDIT_NAMES.has(name),
      column: store && columns.has(`${m.table}.${name}`),
      store,
      translate: false,
      related: extra.related ?? null,
      depends: extra.related ? [extra.related] : [],
      selection: (extra.selection ?? []).map(([value, text]) => [value, en(text)]),
      companyDependent: false,
      digits: null,
      currencyField: null,
      domain: ['many2one', 'one2many', 'many2many'].includes(type) ? '[]' : null,
      size: null,
      manual: false,
      groupExpand: false,
      inheritedFrom: null,
      searchable: false,
      changeDefault: false,
      sanitize: null,
      groups: [],
    });
  });
  return {
    name: model,
    table: m.table,
    description: en(m.label),
    order: m.order,
    recName: null,
    parentName: null,
    parentStore: false,
    inherits: {},
    fields,
    activeField: null,
    transient: false,
  };
}

/** The access rows and rules the addon's security files give the model, with group ids resolved. */
export function builtinSecurity(model: string, groupIds: Map<string, number>): { access: AccessRow[]; rules: RuleRow[] } {
  const m = byName.get(model)!;
  const row = (xmlid: string, write: boolean): AccessRow => ({ group: groupIds.get(xmlid)!, read: true, write, create: write, unlink: write });
  const access = [
    ...m.readers.filter((xmlid) => groupIds.has(xmlid)).map((xmlid) => row(xmlid, false)),
    ...(m.writers ?? []).filter((xmlid) => groupIds.has(xmlid)).map((xmlid) => row(xmlid, true)),
  ];
  const rules: RuleRow[] = m.companyRule
    ? [{ domain: "['|', ('company_id', '=', False), ('company_id', 'in', company_ids)]", groups: [], read: true, write: true, create: true, unlink: true }]
    : [];
  return { access, rules };
}

/** Every external id builtinSecurity may need. */
export const BUILTIN_GROUPS = [...new Set(BUILTIN_MODELS.flatMap((m) => [...m.readers, ...(m.writers ?? [])]))];

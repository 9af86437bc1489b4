import { Knex } from 'knex';

/**
 * Describes the ledger's tables as Odoo models in ir_model / ir_model_fields, so the ORM's
 * registry (read from those rows, DESIGN decision 3) serves loyalty.point.move and
 * loyalty.point.history through execute_kw like any Odoo model. The bridge addon declaring the
 * same models later finds these rows by name and updates them. Internal users may read them;
 * nobody writes them through the ORM: points change through the ledger only.
 */
type Field = [name: string, ttype: string, label: string, extra?: { relation?: string; required?: boolean; readonly?: boolean; store?: boolean; selection?: Array<[string, string]> }];

const AUDIT: Field[] = [
  ['id', 'integer', 'ID', { readonly: true }],
  ['display_name', 'char', 'Display Name', { readonly: true, store: false }],
  ['create_uid', 'many2one', 'Created by', { relation: 'res.users', readonly: true }],
  ['create_date', 'datetime', 'Created on', { readonly: true }],
  ['write_uid', 'many2one', 'Last Updated by', { relation: 'res.users', readonly: true }],
  ['write_date', 'datetime', 'Last Updated on', { readonly: true }],
];

const MODELS: Array<{ model: string; label: string; order: string; fields: Field[] }> = [
  {
    model: 'loyalty.point.move',
    label: 'Loyalty Point Move',
    order: 'id desc',
    fields: [
      ['card_id', 'many2one', 'Card', { relation: 'loyalty.card', required: true, readonly: true }],
      ['kind', 'selection', 'Kind', {
        required: true, readonly: true,
        selection: [['opening', 'Opening balance'], ['earn', 'Earned'], ['redeem', 'Redeemed'], ['expire', 'Expired'], ['adjust', 'Adjustment'], ['refund', 'Refund']],
      }],
      ['points', 'float', 'Points', { required: true, readonly: true }],
      ['remaining', 'float', 'Remaining in lot', { readonly: true }],
      ['expiration_date', 'date', 'Valid until', { readonly: true }],
      ['lot_id', 'many2one', 'Expired lot', { relation: 'loyalty.point.move', readonly: true }],
      ['pos_order_id', 'many2one', 'POS Order', { relation: 'pos.order', readonly: true }],
      ['reference', 'char', 'Reference', { readonly: true }],
      ['reason', 'text', 'Reason', { readonly: true }],
      ['idempotency_key', 'char', 'Idempotency Key', { readonly: true }],
      ['company_id', 'many2one', 'Company', { relation: 'res.company', readonly: true }],
      ...AUDIT,
    ],
  },
  {
    model: 'loyalty.point.history',
    label: 'History for Loyalty cards and Ewallets',
    order: 'id desc',
    fields: [
      ['card_id', 'many2one', 'Card', { relation: 'loyalty.card', required: true, readonly: true }],
      ['company_id', 'many2one', 'Company', { relation: 'res.company', readonly: true }],
      ['description', 'text', 'Description', { required: true, readonly: true }],
      ['issued', 'float', 'Issued', { readonly: true }],
      ['used', 'float', 'Used', { readonly: true }],
      ['order_model', 'char', 'Order Model', { readonly: true }],
      ['order_id', 'integer', 'Order ID', { readonly: true }],
      ...AUDIT,
    ],
  },
];

export async function up(db: Knex): Promise<void> {
  if (!(await db.schema.hasTable('ir_model_fields'))) return;
  const groupUser = (await db.raw(`SELECT res_id FROM ir_model_data WHERE module = 'base' AND name = 'group_user' AND model = 'res.groups'`)).rows[0]?.res_id ?? null;
  for (const m of MODELS) {
    const modelId = (await db.raw(`
      INSERT INTO ir_model (model, "order", state, name, transient, create_date, write_date)
      VALUES (?, ?, 'base', ?::jsonb, false, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
      ON CONFLICT (model) DO UPDATE SET model = EXCLUDED.model RETURNING id`, [m.model, m.order, JSON.stringify({ en_US: m.label })])).rows[0].id;
    for (const [name, ttype, label, extra = {}] of m.fields) {
      const existing = (await db.raw('SELECT id FROM ir_model_fields WHERE model = ? AND name = ?', [m.model, name])).rows[0];
      if (existing) continue;
      const fieldId = (await db.raw(`
        INSERT INTO ir_model_fields (model_id, model, name, ttype, state, field_description, relation, required, readonly, store, copied, translate, selectable, index, on_delete, create_date, write_date)
        VALUES (?, ?, ?, ?, 'base', ?::jsonb, ?, ?, ?, ?, ?, false, true, false, ?, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC') RETURNING id`,
      [modelId, m.model, name, ttype, JSON.stringify({ en_US: label }), extra.relation ?? null, extra.required ?? false, extra.readonly ?? false,
        extra.store ?? true, !['id', 'display_name', 'create_uid', 'create_date', 'write_uid', 'write_date'].includes(name),
        ttype === 'many2one' ? (extra.required ? 'cascade' : 'set null') : null])).rows[0].id;
      for (const [i, [value, text]] of (extra.selection ?? []).entries()) {
        await db.raw(`INSERT INTO ir_model_fields_selection (field_id, value, name, sequence) VALUES (?, ?, ?::jsonb, ?)`, [fieldId, value, JSON.stringify({ en_US: text }), i]);
      }
    }
    if (groupUser && !(await db.raw('SELECT 1 FROM ir_model_access WHERE model_id = ?', [modelId])).rows.length) {
      await db.raw(`
        INSERT INTO ir_model_access (name, active, model_id, group_id, perm_read, perm_write, perm_create, perm_unlink)
        VALUES (?, true, ?, ?, true, false, false, false)`, [`access_${m.model.replace(/\./g, '_')}_user`, modelId, groupUser]);
    }
  }
}

export async function down(): Promise<void> {
  // Kept: Odoo's own module data may point at these rows once the bridge addon declares the models.
}

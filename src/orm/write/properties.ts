import { Env } from '../env';
import { FieldDef, ModelDef } from '../registry';
import { userInfo } from '../user';
import { ColumnValue } from './convert';

/**
 * Company-dependent fields (Odoo 17 keeps them in ir_property, per company): writing one sets
 * the record's property for the call's company, and removes it when the value is the
 * company's default (the property without res_id), as fields.Field._set_multi does.
 */
interface PropertyValue {
  type: string;
  columns: Record<string, unknown>;
}

function propertyValue(field: FieldDef, value: ColumnValue): PropertyValue {
  const empty = { value_text: null, value_integer: null, value_float: null, value_reference: null, value_datetime: null };
  switch (field.type) {
    case 'many2one':
      return { type: 'many2one', columns: { ...empty, value_reference: value === null ? null : `${field.relation},${value}` } };
    case 'integer':
      return { type: 'integer', columns: { ...empty, value_integer: value } };
    case 'boolean':
      return { type: 'boolean', columns: { ...empty, value_integer: value ? 1 : 0 } };
    case 'float':
    case 'monetary':
      return { type: 'float', columns: { ...empty, value_float: value } };
    case 'date':
    case 'datetime':
      return { type: field.type, columns: { ...empty, value_datetime: value } };
    default:
      return { type: field.type, columns: { ...empty, value_text: value } };
  }
}

const same = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  Object.keys(a).every((k) => (a[k] ?? null) === (b[k] ?? null) || String(a[k] ?? '') === String(b[k] ?? ''));

export async function writeProperties(env: Env, model: ModelDef, ids: number[], values: Map<FieldDef, ColumnValue>): Promise<void> {
  if (!values.size || !ids.length) return;
  const { companyId } = await userInfo(env);
  for (const [field, value] of values) {
    const wanted = propertyValue(field, value);
    const fallback = await env.cr('ir_property').where({ fields_id: field.id }).whereNull('res_id')
      .andWhere((q) => q.where('company_id', companyId).orWhereNull('company_id')).orderByRaw('company_id nulls last').first();
    const isDefault = fallback
      ? same(wanted.columns, fallback)
      : Object.values(wanted.columns).every((v) => v === null || v === false || v === 0);
    const resIds = ids.map((id) => `${model.name},${id}`);
    await env.cr('ir_property').where({ fields_id: field.id, company_id: companyId }).whereIn('res_id', resIds).delete();
    if (isDefault) continue;
    await env.cr('ir_property').insert(
      resIds.map((resId) => ({
        name: field.name, res_id: resId, company_id: companyId, fields_id: field.id, type: wanted.type, ...wanted.columns,
        create_uid: env.uid, write_uid: env.uid,
        create_date: env.cr.raw(`now() at time zone 'UTC'`), write_date: env.cr.raw(`now() at time zone 'UTC'`),
      })),
    );
  }
}

/**
 * vendor.commission: the commission rules of a marketplace's vendors (migration 0222), written
 * through execute_kw by POS managers. Its defaults and constraints, as the bridge addon's
 * Python model declares them (fields.Boolean(default=True), the company of the call,
 * @api.constrains on value, type and dates).
 */
import { defineDefaults, envCompanyId } from '../orm/defaults';
import { constrains } from '../orm/constraints';
import { ValidationError } from '../errors';

defineDefaults('vendor.commission', {
  active: true,
  commission_type: 'percentage',
  company_id: (env: Parameters<typeof envCompanyId>[0]) => envCompanyId(env),
});

constrains('vendor.commission', ['value', 'commission_type', 'date_from', 'date_to'], async (env, ids) => {
  const rows = (await env.cr('vendor_commission').whereIn('id', ids).orderBy('id')
    .select('id', 'commission_type', env.cr.raw('value::float8 AS value'), env.cr.raw("to_char(date_from, 'YYYY-MM-DD') AS date_from"), env.cr.raw("to_char(date_to, 'YYYY-MM-DD') AS date_to"))) as
    Array<{ id: number; commission_type: string; value: number; date_from: string | null; date_to: string | null }>;
  for (const r of rows) {
    if (r.value < 0) throw new ValidationError('A commission cannot be negative.');
    if (r.commission_type === 'percentage' && r.value > 100) throw new ValidationError('A percentage commission cannot be more than 100%.');
    if (r.date_from && r.date_to && r.date_to < r.date_from) throw new ValidationError('The commission ends before it starts: "Effective To" must not be before "Effective From".');
  }
});

import { Knex } from 'knex';

/**
 * Removes the ir_model / ir_model_fields rows 0051_ledger_models inserted for the ledger's
 * models without a module behind them: Odoo cannot load a model no module defines (its
 * ir.model reads fail with a KeyError and every module upgrade warns that the models "cannot
 * be loaded"). The sidecar serves those models from src/orm/builtin-models.ts when Odoo does
 * not know them, and from the bridge addon's rows when it is installed: rows that carry an
 * external id (the addon adopted them) are kept.
 */
const MODELS = ['loyalty.point.move', 'loyalty.point.history'];

export async function up(db: Knex): Promise<void> {
  if (!(await db.schema.hasTable('ir_model')) || !(await db.schema.hasTable('ir_model_data'))) return;
  const stale = (await db.raw(`
    select m.id from ir_model m
     where m.model = any(?)
       and not exists (select 1 from ir_model_data d where d.model = 'ir.model' and d.res_id = m.id)`, [MODELS])).rows.map((r: { id: number }) => r.id);
  if (!stale.length) return;
  const fields = `select id from ir_model_fields where model_id = any(?::int[])`;
  await db.raw(`delete from ir_model_fields_selection where field_id in (${fields})`, [stale]);
  if (await db.schema.hasTable('ir_model_fields_group_rel')) await db.raw(`delete from ir_model_fields_group_rel where field_id in (${fields})`, [stale]);
  await db.raw('delete from ir_model_fields where model_id = any(?::int[])', [stale]);
  await db.raw('delete from ir_model_access where model_id = any(?::int[])', [stale]);
  await db.raw('delete from ir_model where id = any(?::int[])', [stale]);
}

export async function down(): Promise<void> {
  // Nothing to restore: the rows were the problem.
}

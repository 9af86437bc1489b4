/** ir.config_parameter values, read the way Odoo's get_param does (text, or the default). */
import { Knex } from 'knex';
import { hasTable } from './schema-probe';

export async function getParam(db: Knex, key: string): Promise<string | null> {
  if (!(await hasTable(db, 'ir_config_parameter'))) return null;
  const row = await db('ir_config_parameter').where({ key }).first('value');
  return row ? String(row.value) : null;
}

/** An integer parameter; a missing or non-numeric value gives the default, as int(get_param(k, d)) would not fail on. */
export async function getIntParam(db: Knex, key: string, fallback: number): Promise<number> {
  const value = await getParam(db, key);
  const n = value === null ? NaN : Number.parseInt(value, 10);
  return Number.isFinite(n) ? n : fallback;
}

/**
 * The modules installed in the database (ir_module_module in state installed): what Odoo's
 * registry loaded, for /web/session/modules. A standalone database without Odoo's module table
 * has none.
 */
import { Knex } from 'knex';
import { hasTable } from '../auth/schema-probe';

export async function installedModules(db: Knex): Promise<string[]> {
  if (!(await hasTable(db, 'ir_module_module'))) return [];
  const rows = await db.raw(`select name from ir_module_module where state = 'installed' order by name`);
  return rows.rows.map((r: { name: string }) => r.name);
}

import { Knex } from 'knex';
import { log } from '../log';

/**
 * Odoo's database role and the sidecar's tables. When the sidecar connects as another role
 * than Odoo (a superuser, or a role that is a member of Odoo's), the tables it creates belong
 * to that role and Odoo's role cannot read them: the bridge addon's models over them would fail
 * with "permission denied". After every migration run, Odoo's role (ODOO_DB_ROLE, or the owner
 * of Odoo's own tables) gets SELECT on the tables the addon reads, and nothing more: Odoo never
 * writes them (the ledger and the jobs do), and PostgreSQL runs the foreign-key cascades from
 * Odoo's deletes (a card, an order) as the owner of these tables.
 *
 * A table the addon maps a real Odoo model onto (vendor_commission: Odoo writes it, and checks
 * and may alter its columns when the addon installs or upgrades) is given to Odoo's role, as if
 * Odoo had created it: the sidecar, a superuser or a member of that role, still writes it.
 */

/** The sidecar's tables the bridge addon reads as Odoo. A later migration adding one (a report view) lists it here. */
export const ODOO_READABLE_TABLES = [
  'loyalty_point_move', 'loyalty_point_history', 'sidecar_job_run',
  'promotion_result', 'promotion_result_live', 'promotion_result_details', 'pos_order_first',
  'vendor_commission_line',
];

/** The sidecar's tables that are an Odoo model's own table once the bridge addon is installed: owned by Odoo's role. */
export const ODOO_OWNED_TABLES = ['vendor_commission'];

const ident = (name: string) => '"' + name.replace(/"/g, '""') + '"';

/** Grants Odoo's role SELECT on ODOO_READABLE_TABLES; answers the role and the tables granted (none when there is nothing to do). */
export async function grantOdooRole(db: Knex, configured: string | null): Promise<{ role: string | null; tables: string[] }> {
  const { rows } = await db.raw(`
    select current_user as me,
           coalesce(?::text, (select tableowner::text from pg_tables where schemaname = current_schema() and tablename = 'ir_module_module')) as role`, [configured]);
  const { me, role } = rows[0] as { me: string; role: string | null };
  if (!role || role === me) return { role, tables: [] };
  if (!(await db.raw('select 1 from pg_roles where rolname = ?', [role])).rows.length) {
    log.warn('ODOO_DB_ROLE names no role: nothing granted', { role });
    return { role, tables: [] };
  }
  const tables = (await db.raw(`
    select c.relname as name, pg_has_role(c.relowner, 'USAGE') as mine,
           has_table_privilege(?, c.oid, 'SELECT') as granted, c.relowner = (select oid from pg_roles where rolname = ?) as owned,
           c.relname = any(?) as give
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = current_schema() and (c.relname = any(?) or c.relname = any(?)) and c.relkind in ('r', 'v', 'm')
     order by c.relname`, [role, role, ODOO_OWNED_TABLES, ODOO_READABLE_TABLES, ODOO_OWNED_TABLES])).rows as Array<{ name: string; mine: boolean; granted: boolean; owned: boolean; give: boolean }>;
  const done: string[] = [];
  for (const t of tables) {
    if (t.give ? t.owned : t.granted) continue;
    if (!t.mine) {
      log.warn('cannot grant Odoo\'s role SELECT on a table another role owns', { table: t.name, role });
      continue;
    }
    // Its serial's sequence follows the table to its new owner.
    await db.raw(t.give ? `alter table ${ident(t.name)} owner to ${ident(role)}` : `grant select on ${ident(t.name)} to ${ident(role)}`);
    done.push(t.name);
  }
  if (done.length) log.info('granted Odoo\'s role SELECT on the sidecar tables the bridge addon reads', { role, tables: done });
  return { role, tables: done };
}

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
 */

/** The sidecar's tables the bridge addon reads as Odoo. A later migration adding one (a report view) lists it here. */
export const ODOO_READABLE_TABLES = [
  'loyalty_point_move', 'loyalty_point_history', 'sidecar_job_run',
  'promotion_result', 'promotion_result_live', 'promotion_result_details', 'pos_order_first',
  'vendor_commission_line',
];
/**
 * The tables of models the bridge addon declares as Odoo models and Odoo writes too (its forms):
 * handed to Odoo's role, as if Odoo had created them, so that its ORM can write them and set
 * its constraints, indexes and comments on them at install and upgrade (which need the owner).
 * Their serial sequences follow. The sidecar's role keeps its rights: it is a superuser or a
 * member of Odoo's role (it could not have read Odoo's tables otherwise).
 */
export const ODOO_MODEL_TABLES = ['vendor_commission'];

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
           has_table_privilege(?, c.oid, 'SELECT') as granted
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = current_schema() and c.relname = any(?) and c.relkind in ('r', 'v', 'm')
     order by c.relname`, [role, ODOO_READABLE_TABLES])).rows as Array<{ name: string; mine: boolean; granted: boolean }>;
  const done: string[] = [];
  for (const t of tables) {
    if (t.granted) continue;
    if (!t.mine) {
      log.warn('cannot grant Odoo\'s role SELECT on a table another role owns', { table: t.name, role });
      continue;
    }
    await db.raw(`grant select on ${ident(t.name)} to ${ident(role)}`);
    done.push(t.name);
  }
  if (done.length) log.info('granted Odoo\'s role SELECT on the sidecar tables the bridge addon reads', { role, tables: done });
  const handed = (await db.raw(`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = current_schema() and c.relname = any(?) and c.relkind = 'r'
       and pg_has_role(c.relowner, 'USAGE') and c.relowner <> (select oid from pg_roles where rolname = ?)
     order by c.relname`, [ODOO_MODEL_TABLES, role])).rows as Array<{ name: string }>;
  for (const t of handed) await db.raw(`alter table ${ident(t.name)} owner to ${ident(role)}`);
  if (handed.length) log.info('handed the tables of the bridge addon\'s models to Odoo\'s role', { role, tables: handed.map((t) => t.name) });
  return { role, tables: [...done, ...handed.map((t) => t.name)] };
}

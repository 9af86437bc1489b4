import { Knex } from 'knex';

/**
 * The upstream Odoo's own session beside a sidecar web session (ODOO_URL): web calls the
 * sidecar does not serve are forwarded to Odoo with this session_id, opened with the same
 * login and password when the client authenticated. Empty when no upstream is configured or
 * it refused.
 */
export async function up(db: Knex): Promise<void> {
  await db.raw('alter table sidecar_session add column if not exists upstream_sid varchar(128)');
}

export async function down(db: Knex): Promise<void> {
  await db.raw('alter table sidecar_session drop column if exists upstream_sid');
}

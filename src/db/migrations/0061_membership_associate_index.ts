import { Knex } from 'knex';

/**
 * Recomputing one partner's membership also recomputes the partners associated with it
 * (res_partner.associate_member): without an index that lookup reads every partner, after
 * every processed order. Few partners have an associate, so the partial index is tiny.
 */
export async function up(db: Knex): Promise<void> {
  if (!(await db.schema.hasTable('res_partner'))) return;
  await db.raw(
    `create index if not exists res_partner__sidecar_associate_member_index
       on res_partner (associate_member) where associate_member is not null`,
  );
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop index if exists res_partner__sidecar_associate_member_index');
}

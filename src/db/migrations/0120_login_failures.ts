import { Knex } from 'knex';

/**
 * Failed logins, in PostgreSQL so that the cooldown holds across replicas (src/auth/cooldown.ts):
 * one row per throttled key ('user:<id>', 'login:<text>' for unknown logins, 'addr:<client address>'),
 * its consecutive failures and the instant of the last one (epoch milliseconds).
 */
export async function up(db: Knex): Promise<void> {
  await db.raw(`
    create table if not exists sidecar_login_failure (
      key varchar(300) primary key,
      failures integer not null,
      last_failure bigint not null
    )`);
  await db.raw('create index if not exists sidecar_login_failure_last_idx on sidecar_login_failure (last_failure)');
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop table if exists sidecar_login_failure');
}

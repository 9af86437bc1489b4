import { Knex } from 'knex';

/**
 * Web sessions (/web/session/*), in PostgreSQL so that every replica sees the same ones.
 * `password_fingerprint` ties a session to the password it was opened with: changing the
 * password ends the user's sessions, as Odoo's session token does.
 */
export async function up(db: Knex): Promise<void> {
  await db.raw(`
    create table if not exists sidecar_session (
      sid varchar(64) primary key,
      uid integer not null,
      login varchar not null,
      db varchar not null,
      context jsonb not null default '{}'::jsonb,
      password_fingerprint varchar(64) not null,
      created_at timestamp without time zone not null default (now() at time zone 'utc'),
      last_seen timestamp without time zone not null default (now() at time zone 'utc')
    )`);
  await db.raw('create index if not exists sidecar_session_last_seen_idx on sidecar_session (last_seen)');
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop table if exists sidecar_session');
}

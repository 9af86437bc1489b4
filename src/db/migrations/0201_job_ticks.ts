import { Knex } from 'knex';

/**
 * Scheduled ticks claimed by one replica (src/jobs/tick-claims.ts): node-cron fires the same
 * tick on every replica; the first to insert `<job>:<tick>` runs it, the others skip, even
 * when the first has already finished (an advisory lock alone only keeps runs from overlapping).
 */
export async function up(db: Knex): Promise<void> {
  await db.raw(`
    create table if not exists sidecar_job_tick (
      key varchar(200) primary key,
      claimed_by varchar(200) not null,
      claimed_at timestamp without time zone not null default (clock_timestamp() at time zone 'utc')
    )`);
  await db.raw(`create index if not exists sidecar_job_tick_claimed_at on sidecar_job_tick (claimed_at)`);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop table if exists sidecar_job_tick');
}

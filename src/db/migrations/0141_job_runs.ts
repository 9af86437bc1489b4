import { Knex } from 'knex';

/**
 * sidecar_job_run: one row per trigger of a scheduled job, whoever triggered it (node-cron on a
 * replica, Odoo's ir.cron through the signed job hook, `npm run job`): when it started and
 * ended, what it did (rows touched, its result) or why it failed or was skipped. The unique
 * index makes "the same job in the same period" done once, in the database, across replicas
 * and triggers (src/jobs/runs.ts). Columns follow Odoo's conventions so that the bridge addon
 * shows the table as a read-only model (sidecar.job.run).
 *
 * sidecar_processed_order.fallback_settled_at: when the points Odoo's own code gave for an
 * order while the sidecar was unreachable were taken back (src/orders/fallback.ts).
 */
export async function up(db: Knex): Promise<void> {
  await db.raw(`
    create table if not exists sidecar_job_run (
      id serial primary key,
      job varchar not null,
      period_key varchar,
      trigger varchar not null check (trigger in ('schedule', 'odoo', 'cli')),
      state varchar not null check (state in ('done', 'failed', 'skipped')),
      started_at timestamp without time zone not null,
      finished_at timestamp without time zone,
      rows_touched integer not null default 0,
      result text,
      error text,
      create_uid integer,
      create_date timestamp without time zone not null default (now() at time zone 'utc'),
      write_uid integer,
      write_date timestamp without time zone
    )`);
  await db.raw(`create unique index if not exists sidecar_job_run_once_per_period
                  on sidecar_job_run (job, period_key) where state = 'done' and period_key is not null`);
  await db.raw('create index if not exists sidecar_job_run_job_started on sidecar_job_run (job, started_at desc)');
  await db.raw('alter table sidecar_processed_order add column if not exists fallback_settled_at timestamp without time zone');
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop table if exists sidecar_job_run');
}

import { Knex } from 'knex';

/**
 * The events outbox (src/events/): what happened (an order processed, points moved, a card
 * created, a membership changed, a job run), written in the same transaction as the change,
 * so an event exists exactly when its change committed. The relay of every replica publishes
 * undelivered rows to Redis and stamps `delivered_at`; a Redis outage only delays them.
 * `event_id` is what consumers de-duplicate on (delivery is at least once).
 */
export async function up(db: Knex): Promise<void> {
  await db.raw(`
    create table if not exists sidecar_event_outbox (
      id bigserial primary key,
      event_id uuid not null default gen_random_uuid() unique,
      type varchar(64) not null,
      payload jsonb not null,
      created_at timestamp without time zone not null default (clock_timestamp() at time zone 'utc'),
      delivered_at timestamp without time zone,
      attempts integer not null default 0
    )`);
  // The relay reads the undelivered rows in id order: a small index however long the history.
  await db.raw(`create index if not exists sidecar_event_outbox_pending on sidecar_event_outbox (id) where delivered_at is null`);
  await db.raw(`create index if not exists sidecar_event_outbox_delivered on sidecar_event_outbox (delivered_at) where delivered_at is not null`);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop table if exists sidecar_event_outbox');
}

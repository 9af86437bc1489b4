/**
 * Writing events to the outbox (sidecar_event_outbox, migration 0200): always in the
 * transaction that makes the change, so an event is there exactly when its change committed,
 * and never for a transaction that rolled back. The relay (relay.ts) publishes them to Redis.
 *
 * Events are written only for a database whose sidecar has REDIS_URL (boot calls enableEvents):
 * without a relay to empty it the outbox would only grow. Every process writing to the
 * database (replicas, `npm run job`) should be given the same REDIS_URL.
 */
import { Knex } from 'knex';
import { EventType } from './types';

/**
 * The databases events are written for, by their knex configuration object: a transaction's
 * client shares its knex's `config` (knex's makeTxClient), so any `cr` of that database finds it.
 */
const enabled = new WeakSet<object>();

const configOf = (db: Knex): object => (db as unknown as { client: { config: object } }).client.config;

export function enableEvents(db: Knex): void {
  enabled.add(configOf(db));
}

export function disableEvents(db: Knex): void {
  enabled.delete(configOf(db));
}

/** Whether changes made through `cr` write their events. */
export function eventsEnabled(cr: Knex): boolean {
  return enabled.has(configOf(cr));
}

export interface OutboxEvent {
  type: EventType;
  payload: Record<string, unknown>;
}

/** Adds events in the caller's transaction, in one statement (nothing when events are off). */
export async function emitEvents(cr: Knex, events: OutboxEvent[]): Promise<void> {
  if (!events.length || !eventsEnabled(cr)) return;
  await cr.raw(
    `insert into sidecar_event_outbox (type, payload)
     select e.type, e.payload from json_to_recordset(?::json) as e(type varchar, payload jsonb, i int) order by e.i`,
    [JSON.stringify(events.map((e, i) => ({ ...e, i })))],
  );
}

/**
 * The SQL of a set-based statement's outbox step (a data-modifying CTE body): `select` gives
 * the rows `(type, payload)`. When events are off it selects nothing, so a statement keeps one
 * shape either way.
 */
export function outboxInsert(cr: Knex, select: string): string {
  return `insert into sidecar_event_outbox (type, payload) select * from (${select}) ev where ${eventsEnabled(cr) ? 'true' : 'false'}`;
}

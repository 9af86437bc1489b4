/**
 * The outbox relay: publishes committed events (sidecar_event_outbox) to a Redis stream and
 * stamps them delivered. Every replica runs one; one at a time publishes (a transaction-level
 * advisory lock per batch), so the stream receives them in outbox order. A batch is published,
 * then marked delivered in the transaction that claimed it: if Redis fails nothing is marked
 * and the batch is tried again; if the process dies between the two, the next batch publishes
 * it again (at least once: consumers de-duplicate on the event id). Delivered rows are kept for
 * RETENTION_HOURS, then removed.
 */
import { Knex } from 'knex';
import Redis from 'ioredis';
import { lockKey } from '../db/locks';
import { log } from '../log';
import { eventMetrics } from './metrics';

export interface RelayOptions {
  stream: string;
  /** The database name put in every envelope (what Odoo calls the db). */
  dbName: string;
  /** Events per batch. */
  batch?: number;
  /** Pause when the outbox is empty, in milliseconds. */
  idleMs?: number;
  /** The stream is trimmed to about this many entries (XADD MAXLEN ~). */
  maxLen?: number;
}

/** Delivered events are kept this long for inspection, then removed by the relay. */
const RETENTION_HOURS = 48;
const PURGE_EVERY_MS = 60_000;
const MAX_BACKOFF_MS = 5000;

interface OutboxRow {
  id: string;
  event_id: string;
  type: string;
  payload: unknown;
  created_at: string;
  lag: number;
}

export class EventRelay {
  private stopped = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private lastPurge = 0;
  private readonly batch: number;
  private readonly idleMs: number;
  private readonly maxLen: number;

  constructor(private readonly db: Knex, private readonly redis: Redis, private readonly opts: RelayOptions) {
    this.batch = opts.batch ?? 500;
    this.idleMs = opts.idleMs ?? 200;
    this.maxLen = opts.maxLen ?? 1_000_000;
  }

  start(): void {
    if (!this.loop) this.loop = this.run();
  }

  /** Stops after the batch in hand (published and marked, or left for another replica). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let backoff = this.idleMs;
    while (!this.stopped) {
      let pause = this.idleMs;
      try {
        const sent = await this.deliverBatch();
        backoff = this.idleMs;
        if (sent === this.batch) pause = 0;
        if (Date.now() - this.lastPurge > PURGE_EVERY_MS) await this.purge();
      } catch (err) {
        eventMetrics.failures.inc();
        log.debug('events: relay batch failed, retrying', { error: (err as Error).message });
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        pause = backoff;
      }
      if (pause > 0 && !this.stopped) await this.sleep(pause);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** One batch: claimed, published, marked; answers how many events went out. */
  async deliverBatch(): Promise<number> {
    if (this.redis.status !== 'ready') throw new Error(`Redis connection ${this.redis.status}`);
    return this.db.transaction(async (trx) => {
      const leader = (await trx.raw('select pg_try_advisory_xact_lock(?::bigint) as ok', [lockKey('events:relay')])).rows[0].ok;
      if (!leader) return 0;
      const rows = (await trx.raw(
        `select id, event_id, type, payload, created_at,
                extract(epoch from (clock_timestamp() at time zone 'utc') - created_at)::float8 as lag
           from sidecar_event_outbox where delivered_at is null order by id limit ?`,
        [this.batch],
      )).rows as OutboxRow[];
      eventMetrics.lag.set(rows.length ? Math.max(rows[0].lag, 0) : 0);
      if (!rows.length) return 0;
      const pipeline = this.redis.multi();
      for (const row of rows) {
        const envelope = {
          id: row.event_id,
          type: row.type,
          db: this.opts.dbName,
          occurred_at: row.created_at.replace(' ', 'T') + 'Z',
          data: row.payload,
        };
        pipeline.xadd(this.opts.stream, 'MAXLEN', '~', this.maxLen, '*', 'id', row.event_id, 'type', row.type, 'event', JSON.stringify(envelope));
      }
      const results = await pipeline.exec();
      const failed = results?.find(([err]) => err);
      if (!results || failed) throw failed?.[0] ?? new Error('Redis transaction discarded');
      await trx.raw(
        `update sidecar_event_outbox set delivered_at = clock_timestamp() at time zone 'utc', attempts = attempts + 1 where id = any(?::bigint[])`,
        [rows.map((r) => r.id)],
      );
      for (const row of rows) eventMetrics.published.inc({ type: row.type });
      return rows.length;
    });
  }

  private async purge(): Promise<void> {
    this.lastPurge = Date.now();
    await this.db.raw(
      `delete from sidecar_event_outbox where id in (
         select id from sidecar_event_outbox
          where delivered_at < (clock_timestamp() at time zone 'utc') - make_interval(hours => ?) limit 10000)`,
      [RETENTION_HOURS],
    );
  }
}

/**
 * A consumer of the sidecar's events (README "Operations", "Events"): reads the Redis stream
 * the replicas publish to with a consumer group, handles each event once, acknowledges it.
 *
 *   REDIS_URL=redis://127.0.0.1:6379 node -r esbuild-register examples/events-consumer.ts
 *
 * Optional: EVENTS_STREAM (the sidecar's, default sidecar:events), GROUP (default example),
 * CONSUMER (default the host and pid). Prints one JSON line per event handled.
 *
 * Delivery is at least once: a relay that died between publishing and marking a batch publishes
 * it again, so the same event id can arrive twice; the consumer remembers the ids it handled
 * (here in a Redis set kept a week; a real consumer records them with its own writes) and skips
 * repeats. A Redis that restarted empty has lost the stream and the group: the group is
 * created again and reading starts from the stream's beginning, where the relay puts the events
 * it could not deliver meanwhile.
 */
import { hostname } from 'node:os';
import Redis from 'ioredis';

const stream = process.env.EVENTS_STREAM || 'sidecar:events';
const group = process.env.GROUP || 'example';
const consumer = process.env.CONSUMER || `${hostname()}-${process.pid}`;
const seenKey = `${stream}:seen:${group}`;
const redis = new Redis(process.env.REDIS_URL || 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
redis.on('error', () => undefined); // reconnects by itself; reads below retry

interface SidecarEvent {
  id: string;
  type: string;
  db: string;
  occurred_at: string;
  data: Record<string, unknown>;
}

/** What this consumer does with an event: here, print it. */
function handle(event: SidecarEvent): void {
  process.stdout.write(JSON.stringify(event) + '\n');
}

async function ensureGroup(): Promise<void> {
  try {
    await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
  } catch (err) {
    if (!/BUSYGROUP/.test((err as Error).message)) throw err;
  }
}

let running = true;
const stop = () => {
  running = false;
  // A read blocked on a Redis that is away would wait for it: end the connection now.
  redis.disconnect();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

async function main(): Promise<void> {
  await ensureGroup();
  // First the entries this consumer read but did not acknowledge (it stopped mid-way), then new ones.
  let cursor = '0';
  while (running) {
    let reply: Array<[string, Array<[string, string[]]>]> | null;
    try {
      reply = (await redis.xreadgroup('GROUP', group, consumer, 'COUNT', 100, 'BLOCK', 1000, 'STREAMS', stream, cursor)) as typeof reply;
    } catch (err) {
      if (!running) break;
      if (/NOGROUP/.test((err as Error).message)) await ensureGroup().catch(() => undefined);
      else await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    const entries = reply?.[0]?.[1] ?? [];
    if (cursor === '0' && entries.length === 0) cursor = '>';
    for (const [entryId, fields] of entries) {
      const event = JSON.parse(fields[fields.indexOf('event') + 1]) as SidecarEvent;
      // SADD answers 1 the first time this id is seen: handle it; 0: a repeat, only acknowledged.
      if ((await redis.sadd(seenKey, event.id)) === 1) handle(event);
      await redis.expire(seenKey, 7 * 86400);
      await redis.xack(stream, group, entryId);
    }
  }
  redis.disconnect();
}

main().catch((err) => {
  process.stderr.write(`events consumer failed: ${(err as Error).message}\n`);
  process.exit(1);
});

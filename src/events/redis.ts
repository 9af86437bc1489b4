/**
 * The Redis connection events are published on (ioredis). Commands fail at once while Redis is
 * unreachable (no offline queue, one try): the relay then leaves its batch in the outbox and
 * tries again, while ioredis reconnects in the background. Connection errors are logged once
 * per outage, not once per attempt.
 */
import Redis from 'ioredis';
import { log } from '../log';

export function connectRedis(url: string): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(100 * times, 2000),
    lazyConnect: false,
  });
  let down = false;
  // An 'error' nobody listens to would be thrown by the emitter and end the process.
  redis.on('error', (err) => {
    if (down) return;
    down = true;
    log.warn('events: Redis unreachable, events stay in the outbox until it answers', { error: err.message });
  });
  redis.on('ready', () => {
    if (down) log.info('events: Redis reachable again');
    down = false;
  });
  return redis;
}

/** Closes the connection: QUIT when it is up, at once otherwise. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
  else redis.disconnect();
}

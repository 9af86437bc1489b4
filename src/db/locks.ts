import { Knex } from 'knex';
import { createHash } from 'node:crypto';

/** A stable 64-bit advisory-lock key for a job name (same on every replica). */
export function lockKey(name: string): string {
  const digest = createHash('sha256').update('sidecar:' + name).digest();
  return digest.readBigInt64BE(0).toString();
}

/**
 * Runs fn while holding a session-level PostgreSQL advisory lock, on one pinned connection.
 * Returns { ran: false } at once when another replica holds the lock: scheduled jobs use
 * this so that exactly one replica runs each tick.
 */
export async function withAdvisoryLock<T>(
  db: Knex,
  name: string,
  fn: (conn: Knex.Transaction) => Promise<T>,
): Promise<{ ran: true; result: T } | { ran: false }> {
  const key = lockKey(name);
  return db.transaction(async (trx) => {
    const got = (await trx.raw('select pg_try_advisory_xact_lock(?::bigint) as ok', [key])).rows[0].ok;
    if (!got) return { ran: false as const };
    return { ran: true as const, result: await fn(trx) };
  });
}

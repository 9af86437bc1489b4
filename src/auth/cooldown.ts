/**
 * Odoo's login cooldown (res.users _assert_can_auth / _on_login_cooldown): after
 * base.login_cooldown_after consecutive failures (default 5; 0 disables) from one address,
 * every login from it is refused for base.login_cooldown_duration seconds (default 60).
 * A success clears the address. Like Odoo (which keeps it on the registry), the count lives
 * in the process: it is a throttle, not data, and losing it on restart is harmless.
 */
import { Knex } from 'knex';
import { AccessDenied } from '../errors';
import { getIntParam } from './config-params';

interface Failures {
  count: number;
  last: number;
}

const MAX_TRACKED = 100_000;
const failures = new Map<string, Failures>();

export const COOLDOWN_MESSAGE = 'Too many login failures, please wait a bit before trying again.';

/** Throws AccessDenied when `address` is cooling down. Reads the parameters only for addresses that failed. */
export async function assertCanAuth(db: Knex, address: string, now = Date.now()): Promise<void> {
  const entry = failures.get(address);
  if (!entry) return;
  const after = await getIntParam(db, 'base.login_cooldown_after', 5);
  if (after === 0) return;
  const duration = await getIntParam(db, 'base.login_cooldown_duration', 60);
  if (entry.count >= after && now - entry.last < duration * 1000) throw new AccessDenied(COOLDOWN_MESSAGE);
}

export function recordFailure(address: string, now = Date.now()): void {
  const entry = failures.get(address);
  failures.delete(address);
  if (failures.size >= MAX_TRACKED) failures.delete(failures.keys().next().value!);
  failures.set(address, { count: (entry?.count ?? 0) + 1, last: now });
}

export function recordSuccess(address: string): void {
  failures.delete(address);
}

/** For tests: forget every address. */
export function resetCooldowns(): void {
  failures.clear();
}

/**
 * Odoo's login cooldown (res.users _assert_can_auth / _on_login_cooldown), made to hold across
 * replicas and proxies: after base.login_cooldown_after consecutive failures (default 5; 0
 * disables), every login is refused for base.login_cooldown_duration seconds (default 60)
 * after the last failure. Failures are counted in PostgreSQL (sidecar_login_failure), per
 * user (or per login text when no user has it) and per client address (the real client behind
 * a trusted proxy: src/http/addresses.ts). A check is refused when either key cools down.
 *
 * Unlike Odoo, one user's success does not clear an address: an attacker who owns an account
 * cannot reset the count of the address they guess other logins from. A success clears the
 * user's own key; an address's count starts over once its last failure is older than the
 * cooldown duration (an office behind one NAT is not locked out for good by old typos).
 */
import { Knex } from 'knex';
import { AccessDenied } from '../errors';
import { getIntParam } from './config-params';

export const COOLDOWN_MESSAGE = 'Too many login failures, please wait a bit before trying again.';

/** Who an attempt counts against: the user (or login text) and the client address. */
export interface AuthKeys {
  who: string;
  address: string;
}

export const userKey = (uid: number) => `user:${uid}`;
export const loginKey = (login: string) => `login:${login.slice(0, 250)}`;
const addressKey = (address: string) => `addr:${address.slice(0, 250)}`;

interface Params {
  after: number;
  durationMs: number;
}

async function params(db: Knex): Promise<Params> {
  const after = await getIntParam(db, 'base.login_cooldown_after', 5);
  const duration = await getIntParam(db, 'base.login_cooldown_duration', 60);
  return { after, durationMs: duration * 1000 };
}

/**
 * Throws AccessDenied while the user or the address cools down. One indexed read; the
 * parameters are read only when a key has failures. Answers whether the user's key holds
 * failures (a success must then clear them).
 */
export async function assertCanAuth(db: Knex, keys: AuthKeys, now = Date.now()): Promise<{ userFailed: boolean }> {
  const rows = (await db.raw('select key, failures, last_failure from sidecar_login_failure where key in (?, ?)', [keys.who, addressKey(keys.address)])).rows as
    Array<{ key: string; failures: number; last_failure: string | number }>;
  if (!rows.length) return { userFailed: false };
  const { after, durationMs } = await params(db);
  if (after !== 0 && rows.some((r) => r.failures >= after && now - Number(r.last_failure) < durationMs)) throw new AccessDenied(COOLDOWN_MESSAGE);
  return { userFailed: rows.some((r) => r.key === keys.who) };
}

/** One more failure for the user and the address (an address's count starts over when its last failure is older than the cooldown). */
export async function recordFailure(db: Knex, keys: AuthKeys, now = Date.now()): Promise<void> {
  const { durationMs } = await params(db);
  await db.raw(`
    insert into sidecar_login_failure as f (key, failures, last_failure)
    select k, 1, ?::bigint from unnest(?::text[]) k order by k
    on conflict (key) do update set
      failures = case when f.key like 'addr:%' and f.last_failure < ?::bigint then 1 else f.failures + 1 end,
      last_failure = excluded.last_failure`, [now, [keys.who, addressKey(keys.address)], now - durationMs]);
  // Keys that have not failed for a day are forgotten: the table stays the size of recent failures.
  if (Math.random() < 0.05) await db.raw('delete from sidecar_login_failure where last_failure < ?::bigint', [now - 86_400_000]);
}

/** The user logged in: their own count starts over (the address's does not). */
export async function recordSuccess(db: Knex, keys: AuthKeys): Promise<void> {
  await db.raw('delete from sidecar_login_failure where key = ?', [keys.who]);
}

/** For tests: forget every failure. */
export async function resetCooldowns(db: Knex): Promise<void> {
  await db.raw('delete from sidecar_login_failure');
}

/**
 * Odoo 17's API keys (res.users.apikeys): a key is 40 hex characters shown once; the table
 * keeps its first 8 characters in `index` and a passlib pbkdf2-sha512 hash of the whole key
 * in `key`. A key has a scope (NULL = any; RPC checks ask for 'rpc') and belongs to an
 * active user. Where the table has an expiration_date column (later Odoo versions), an
 * expired key is refused.
 */
import { Knex } from 'knex';
import { verifyPassword } from './password';
import { hasColumn, hasTable } from './schema-probe';

export const API_KEY_INDEX_SIZE = 8;

export interface ApiKeyMatch {
  uid: number;
  keyId: number;
  /** The stored hash that verified: a later change of the row invalidates cached checks. */
  stored: string;
}

async function expiryClause(db: Knex): Promise<string> {
  return (await hasColumn(db, 'res_users_apikeys', 'expiration_date'))
    ? ` and (k.expiration_date is null or k.expiration_date > (now() at time zone 'utc'))`
    : '';
}

/** The rows a key could be (same index, right scope, active user, not expired). */
export async function apiKeyCandidates(db: Knex, key: string, scope: string): Promise<ApiKeyMatch[]> {
  if (key.length < API_KEY_INDEX_SIZE || !(await hasTable(db, 'res_users_apikeys'))) return [];
  const expiry = await expiryClause(db);
  const rows = await db.raw(
    `select k.id, k.user_id, k.key from res_users_apikeys k join res_users u on u.id = k.user_id
      where u.active and k.index = ? and (k.scope is null or k.scope = ?)${expiry}`,
    [key.slice(0, API_KEY_INDEX_SIZE), scope],
  );
  return rows.rows.map((r: { id: number; user_id: number; key: string }) => ({ uid: r.user_id, keyId: r.id, stored: r.key ?? '' }));
}

/** The user a key belongs to, or null (pbkdf2 verification of each candidate). */
export async function checkApiKey(db: Knex, key: string, scope: string): Promise<ApiKeyMatch | null> {
  for (const candidate of await apiKeyCandidates(db, key, scope)) {
    if (candidate.stored.startsWith('$pbkdf2-sha512$') && (await verifyPassword(key, candidate.stored))) return candidate;
  }
  return null;
}

/** Whether a key row still holds the hash a cached check verified (deleted, rotated or expired keys fail). */
export async function apiKeyStillValid(db: Knex, match: ApiKeyMatch, scope: string): Promise<boolean> {
  const expiry = await expiryClause(db);
  const rows = await db.raw(
    `select 1 from res_users_apikeys k join res_users u on u.id = k.user_id
      where k.id = ? and k.user_id = ? and u.active and k.key = ? and (k.scope is null or k.scope = ?)${expiry}`,
    [match.keyId, match.uid, match.stored, scope],
  );
  return rows.rows.length > 0;
}

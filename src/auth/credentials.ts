/**
 * Who is calling, with Odoo 17's credentials: res_users.password (passlib pbkdf2-sha512, or
 * plain text that is re-hashed at the next login, as Odoo does), API keys in place of the
 * password for non-interactive logins (XML-RPC, JSON-RPC, REST Bearer), archived users
 * refused, and the login cooldown per user and per client address (cooldown.ts, in PostgreSQL).
 *
 * pbkdf2 at 600,000 rounds costs a few hundred milliseconds, far too slow to run on every
 * RPC call. A verified credential is therefore cached, keyed by a SHA-256 of (uid, secret)
 * salted with a per-process random key, never the secret itself, with the stored hash it
 * verified against. (A one-shot salted hash, not an HMAC object: this runs on every call, and
 * a key nobody outside the process sees needs no MAC.)
 *
 * Odoo 17 caches res.users.check the same way (ormcache on uid and password) and drops it when a
 * write to the user signals a cache clear. The sidecar cannot hear Odoo's signals without a
 * query, so a cached proof counts without touching the database for FRESH_MS after it was last
 * confirmed; after that, the next call re-reads the user's row (one indexed query) and the proof
 * counts only while the row holds the same hash (or the API key row is unchanged). A password
 * change, a deleted key or an archived user made behind the sidecar's back (Odoo, SQL) is
 * therefore honoured within FRESH_MS, the same bound as the ORM's shared security facts
 * (orm/shared_cache.ts); one made through the sidecar's ORM drops the cache at once.
 */
import { Knex } from 'knex';
import { hash, randomBytes } from 'node:crypto';
import { AccessDenied } from '../errors';
import { apiKeyStillValid, ApiKeyMatch, checkApiKey } from './apikeys';
import { assertCanAuth, loginKey, recordFailure, recordSuccess, userKey } from './cooldown';
import { hashPassword, isPasslibHash, verifyPassword } from './password';

export interface AuthContext {
  /** The caller's address, for the cooldown. */
  remoteAddr?: string;
  /** Interactive logins (the web login form, /web/session/authenticate) do not take API keys. */
  interactive?: boolean;
}

/** What a cache entry proved: the password matched this stored hash, or this API key row. */
type Verified = { stored: string } | { apiKey: ApiKeyMatch };

const CACHE_MAX = 10_000;
/** How long a confirmed proof counts without re-reading the user's row. */
export const FRESH_MS = 1000;
const KEY_SALT = randomBytes(32).toString('hex');
const verified = new Map<string, { proof: Verified; confirmedAt: number }>();
const inFlight = new Map<string, Promise<Verified | null>>();

const cacheKey = (kind: string, who: string | number, secret: string) =>
  hash('sha256', `${KEY_SALT}\u0000${kind}\u0000${who}\u0000${secret}`, 'base64');

function remember(key: string, proof: Verified): void {
  verified.delete(key);
  if (verified.size >= CACHE_MAX) verified.delete(verified.keys().next().value!);
  verified.set(key, { proof, confirmedAt: Date.now() });
}

/** The cached proof under `key` when it was confirmed against the database less than FRESH_MS ago. */
function freshProof(key: string): Verified | undefined {
  const entry = verified.get(key);
  return entry && Date.now() - entry.confirmedAt < FRESH_MS ? entry.proof : undefined;
}

/** After a change of users or keys made through the sidecar, and for tests. */
export function clearCredentialCache(): void {
  verified.clear();
}

interface UserRow {
  id: number;
  active: boolean;
  password: string;
}

const RPC_SCOPE = 'rpc';

/** Verifies `secret` for `user` the slow way (pbkdf2), once per concurrent burst. */
async function verifySlow(db: Knex, user: UserRow, secret: string, interactive: boolean): Promise<Verified | null> {
  if (await verifyPassword(secret, user.password)) {
    if (user.password && !isPasslibHash(user.password)) {
      // Odoo re-hashes a plain-text password on the first login that uses it.
      const hashed = await hashPassword(secret);
      await db('res_users').where({ id: user.id, password: user.password }).update({ password: hashed });
      return { stored: hashed };
    }
    return { stored: user.password };
  }
  if (interactive) return null;
  const match = await checkApiKey(db, secret, RPC_SCOPE);
  return match && match.uid === user.id ? { apiKey: match } : null;
}

async function stillValid(db: Knex, user: UserRow, entry: Verified, interactive: boolean): Promise<boolean> {
  if ('stored' in entry) return entry.stored === user.password;
  return !interactive && apiKeyStillValid(db, entry.apiKey, RPC_SCOPE);
}

/** Checks a user's password (or API key); throws AccessDenied. */
async function checkCredentials(db: Knex, user: UserRow, secret: string, interactive: boolean): Promise<void> {
  const key = cacheKey(interactive ? 'i' : 'n', user.id, secret);
  const cached = verified.get(key)?.proof;
  if (cached && (await stillValid(db, user, cached, interactive))) return remember(key, cached);
  if (cached) verified.delete(key);
  let pending = inFlight.get(key);
  if (!pending) {
    pending = verifySlow(db, user, secret, interactive).finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  const entry = await pending;
  if (!entry) throw new AccessDenied();
  remember(key, entry);
}

/**
 * Runs a credential check under the cooldown of the user (`who`) and the caller's address, as
 * _assert_can_auth: refused while either cools down, a refusal counted against both, a
 * success clearing the user's own count (cooldown.ts).
 */
async function underCooldown<T>(db: Knex, auth: AuthContext, who: string, check: () => Promise<T>): Promise<T> {
  const keys = { who, address: auth.remoteAddr ?? 'n/a' };
  const { userFailed } = await assertCanAuth(db, keys);
  try {
    const result = await check();
    if (userFailed) await recordSuccess(db, keys);
    return result;
  } catch (err) {
    if (err instanceof AccessDenied) await recordFailure(db, keys);
    throw err;
  }
}

async function userRow(db: Knex, where: { login: string } | { id: number }): Promise<UserRow | undefined> {
  // Raw SQL: this runs on every RPC call, and the query builder costs more than the query.
  const [column, value] = 'login' in where ? ['login', where.login] : ['id', where.id];
  const result = await db.raw(`select id, active, password from res_users where ${column} = ? order by id limit 1`, [value]);
  const row = result.rows[0];
  return row && { id: row.id, active: row.active === true, password: row.password ?? '' };
}

/** Odoo's login: the uid for login/password, or AccessDenied (also while cooling down). */
export async function login(db: Knex, loginName: unknown, password: unknown, auth: AuthContext = {}): Promise<number> {
  if (typeof password !== 'string' || !password || typeof loginName !== 'string' || !loginName) throw new AccessDenied();
  const user = await userRow(db, { login: loginName });
  return underCooldown(db, auth, user ? userKey(user.id) : loginKey(loginName), async () => {
    if (!user || !user.active) throw new AccessDenied();
    await checkCredentials(db, user, password, auth.interactive ?? false);
    return user.id;
  });
}

/** common.authenticate: the uid, or null for any refusal. */
export async function authenticate(db: Knex, loginName: unknown, password: unknown, auth: AuthContext = {}): Promise<number | null> {
  try {
    return await login(db, loginName, password, auth);
  } catch (err) {
    if (err instanceof AccessDenied) return null;
    throw err;
  }
}

/** res.users.check: the (uid, password or API key) of an execute_kw call, or AccessDenied. */
export async function checkUid(db: Knex, uid: number, password: unknown, auth: AuthContext = {}): Promise<void> {
  if (!password) throw new AccessDenied();
  // A proof confirmed less than FRESH_MS ago is a known-good credential, not a guess: the hot path reads nothing.
  if (typeof password === 'string' && freshProof(cacheKey('n', uid, password))) return;
  return underCooldown(db, auth, Number.isSafeInteger(uid) ? userKey(uid) : loginKey(String(uid)), async () => {
    const user = Number.isSafeInteger(uid) && uid > 0 && uid <= 2 ** 31 - 1 ? await userRow(db, { id: uid }) : undefined;
    if (!user || !user.active || typeof password !== 'string') throw new AccessDenied();
    await checkCredentials(db, user, password, false);
  });
}

/** REST `Authorization: Bearer <API key>`: the key's user, or AccessDenied. */
export async function checkBearer(db: Knex, key: string, auth: AuthContext = {}): Promise<number> {
  if (!key) throw new AccessDenied();
  const ck = cacheKey('bearer', '', key);
  const fresh = freshProof(ck);
  if (fresh && 'apiKey' in fresh) return fresh.apiKey.uid;
  return underCooldown(db, auth, loginKey('apikey:' + key.slice(0, 8)), async () => {
    const cached = verified.get(ck)?.proof;
    if (cached && 'apiKey' in cached && (await apiKeyStillValid(db, cached.apiKey, RPC_SCOPE))) {
      remember(ck, cached);
      return cached.apiKey.uid;
    }
    const match = await checkApiKey(db, key, RPC_SCOPE);
    if (!match) throw new AccessDenied();
    remember(ck, { apiKey: match });
    return match.uid;
  });
}

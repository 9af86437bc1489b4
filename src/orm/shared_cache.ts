import { AppContext } from '../context';
import { Env } from './env';

/**
 * Security facts (a user's groups and companies, a model's access rows and rules) shared by
 * the read-only calls of one second. Read calls run on the pool (call.ts), so a cached fact
 * is at most TTL_MS old, like a peer Odoo worker that has not yet seen a cache signal;
 * calls in a transaction always read their own. Writes through the ORM to the tables these
 * facts come from drop the cache at once (orm/security_hooks.ts).
 */
const TTL_MS = 1000;

interface Entry {
  at: number;
  value: Promise<unknown>;
}

const caches = new WeakMap<AppContext, Map<string, Entry>>();

/** `load()` for this call, shared with other read-only calls for TTL_MS. */
export function sharedFact<T>(env: Env, key: string, load: () => Promise<T>): Promise<T> {
  if ((env.cr as unknown) !== env.app.db.knex) return load();
  let cache = caches.get(env.app);
  if (!cache) caches.set(env.app, (cache = new Map()));
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < TTL_MS) return hit.value as Promise<T>;
  const value = load();
  cache.set(key, { at: now, value });
  value.catch(() => cache!.delete(key));
  return value;
}

export function dropSharedFacts(app: AppContext): void {
  caches.get(app)?.clear();
}

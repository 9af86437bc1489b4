/**
 * Web sessions in PostgreSQL (table sidecar_session): any replica can serve any session.
 * A session is valid while its user is active, its password is the one it was opened with
 * (fingerprint), and it was seen within the lifetime (Odoo's SESSION_LIFETIME, 7 days).
 */
import { Knex } from 'knex';
import { createHash, randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'session_id';
export const SESSION_LIFETIME_SECONDS = 7 * 24 * 3600;
/** last_seen is refreshed at most this often, so that reading a session rarely writes. */
const TOUCH_EVERY_SECONDS = 60;

export interface WebSession {
  sid: string;
  uid: number;
  login: string;
  db: string;
  context: Record<string, unknown>;
  /** The upstream Odoo's session for the same user (ODOO_URL), when one was opened. */
  upstreamSid?: string | null;
}

const fingerprint = (storedPassword: string | null) => createHash('sha256').update(storedPassword ?? '').digest('hex');

export async function createSession(db: Knex, session: Omit<WebSession, 'sid'>): Promise<WebSession> {
  const sid = randomBytes(32).toString('base64url');
  const user = await db('res_users').where({ id: session.uid }).first('password');
  await db('sidecar_session').insert({
    sid,
    uid: session.uid,
    login: session.login,
    db: session.db,
    context: JSON.stringify(session.context),
    password_fingerprint: fingerprint(user?.password ?? null),
  });
  return { sid, ...session };
}

export async function findSession(db: Knex, sid: string | undefined): Promise<WebSession | null> {
  if (!sid || sid.length > 64) return null;
  const result = await db.raw(
    `select s.sid, s.uid, s.login, s.db, s.context, s.password_fingerprint, s.upstream_sid, u.password,
            extract(epoch from ((now() at time zone 'utc') - s.last_seen)) as idle
       from sidecar_session s join res_users u on u.id = s.uid
      where s.sid = ? and u.active`,
    [sid],
  );
  const row = result.rows[0];
  if (!row || row.password_fingerprint !== fingerprint(row.password) || row.idle > SESSION_LIFETIME_SECONDS) return null;
  if (row.idle > TOUCH_EVERY_SECONDS) {
    await db('sidecar_session').where({ sid }).update({ last_seen: db.raw(`now() at time zone 'utc'`) });
  }
  return { sid: row.sid, uid: row.uid, login: row.login, db: row.db, context: row.context ?? {}, upstreamSid: row.upstream_sid ?? null };
}

/** Keeps the upstream Odoo's session id beside a sidecar session (or forgets it: null). */
export async function setUpstreamSession(db: Knex, sid: string, upstreamSid: string | null): Promise<void> {
  await db('sidecar_session').where({ sid }).update({ upstream_sid: upstreamSid });
}

export async function deleteSession(db: Knex, sid: string): Promise<void> {
  await db('sidecar_session').where({ sid }).delete();
}

/** Sessions idle past their lifetime (a job may call this; findSession ignores them anyway). */
export async function deleteExpiredSessions(db: Knex): Promise<number> {
  return db('sidecar_session')
    .where('last_seen', '<', db.raw(`(now() at time zone 'utc') - make_interval(secs => ?)`, [SESSION_LIFETIME_SECONDS]))
    .delete();
}

/** The session id a request's Cookie header carries. */
export function sessionIdFromCookie(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

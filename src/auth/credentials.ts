/**
 * Who is calling: Odoo's credentials (login + password, or an API key in place of the password).
 * Minimal version: passwords only, no cache.
 * TODO(rpc): API keys (res_users_apikeys), login cooldown, verified-credential cache.
 */
import { Knex } from 'knex';
import { verifyPassword } from './password';

/** The uid for login/password, or null. Archived users never authenticate. */
export async function authenticate(db: Knex, login: string, password: string): Promise<number | null> {
  if (typeof login !== 'string' || typeof password !== 'string' || !login || !password) return null;
  const user = await db('res_users').where({ login, active: true }).first('id', 'password');
  if (!user) return null;
  return (await verifyPassword(password, user.password)) ? user.id : null;
}

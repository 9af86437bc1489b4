/** Odoo 17 API keys for tests, stored as res.users.apikeys._generate stores them. */
import { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { hashPassword } from '../../src/auth/password';

/** A new key of user `uid`: 40 hex chars, index = its first 8, pbkdf2-sha512 at 6000 rounds. */
export async function addApiKey(knex: Knex, uid: number, scope: string | null = 'rpc', expires?: string): Promise<{ key: string; id: number }> {
  const key = randomBytes(20).toString('hex');
  const row = { name: 'test key', user_id: uid, scope, index: key.slice(0, 8), key: await hashPassword(key, 6000), ...(expires ? { expiration_date: expires } : {}) };
  const [{ id }] = await knex('res_users_apikeys').insert(row).returning('id');
  return { key, id };
}

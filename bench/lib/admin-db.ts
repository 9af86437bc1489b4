import { knex, Knex } from 'knex';
import { urlFor } from '../../test/helpers/pg';

/** Runs fn on the server's maintenance database (creating, copying, dropping bench databases). */
export async function admin<T>(fn: (a: Knex) => Promise<T>): Promise<T> {
  const a = knex({ client: 'pg', connection: urlFor('postgres'), pool: { min: 0, max: 1 } });
  try {
    return await fn(a);
  } finally {
    await a.destroy();
  }
}

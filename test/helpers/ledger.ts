/** Checks of the points ledger that every ledger test runs after each case. */
import { expect } from 'chai';
import { Knex } from 'knex';
import { hashPassword } from '../../src/auth/password';

/**
 * For every card: loyalty_card.points = sum of its moves, and its open lots hold exactly the
 * positive part of that balance (what can still be spent or expire).
 */
export async function expectLedgerBalanced(db: Knex): Promise<void> {
  const broken = (await db.raw(`
    SELECT c.id, c.points, COALESCE(SUM(m.points), 0)::float8 AS moves,
           COALESCE(SUM(m.remaining), 0)::float8 AS lots
      FROM loyalty_card c LEFT JOIN loyalty_point_move m ON m.card_id = c.id
     GROUP BY c.id, c.points
    HAVING abs(COALESCE(c.points, 0) - COALESCE(SUM(m.points), 0)) > 1e-6
        OR abs(GREATEST(COALESCE(c.points, 0), 0) - COALESCE(SUM(m.remaining), 0)) > 1e-6`)).rows;
  expect(broken, 'cards whose points differ from their moves or lots').to.deep.equal([]);
}

/**
 * Gives a user a cheap password hash for tests that send hundreds of authenticated requests
 * (the dump's hashes cost 600,000 pbkdf2 rounds each, by design).
 */
export async function cheapPassword(db: Knex, login: string, password: string): Promise<void> {
  await db('res_users').where({ login }).update({ password: await hashPassword(password, 1000) });
}

export const basicAuth = (login: string, password: string): string => 'Basic ' + Buffer.from(`${login}:${password}`).toString('base64');

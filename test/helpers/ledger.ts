/** Checks of the points ledger that every ledger test runs after each case. */
import { expect } from 'chai';
import { Knex } from 'knex';
import { hashPassword } from '../../src/auth/password';
import { ledgerDiscrepancies } from '../../src/ledger/audit';

/** For every card: points = sum(moves), and open lots = the positive part of the balance. */
export async function expectLedgerBalanced(db: Knex): Promise<void> {
  expect(await ledgerDiscrepancies(db), 'cards whose points differ from their moves or lots').to.deep.equal([]);
}

/**
 * Gives a user a cheap password hash for tests that send hundreds of authenticated requests
 * (the dump's hashes cost 600,000 pbkdf2 rounds each, by design).
 */
export async function cheapPassword(db: Knex, login: string, password: string): Promise<void> {
  await db('res_users').where({ login }).update({ password: await hashPassword(password, 1000) });
}

export const basicAuth = (login: string, password: string): string => 'Basic ' + Buffer.from(`${login}:${password}`).toString('base64');

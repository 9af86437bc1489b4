import { Knex } from 'knex';
import { AppContext } from '../context';

/**
 * One call's environment, as Odoo's `env`: the transaction (Odoo's cursor), the user and the
 * context. Every read and write of one RPC call goes through `cr`, so a failing call changes
 * nothing.
 */
export interface Env {
  cr: Knex.Transaction;
  uid: number;
  context: Record<string, unknown>;
  app: AppContext;
}

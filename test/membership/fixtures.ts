/** Test data for membership tiers on the recorded Odoo 17 dump. */
import { knex, Knex } from 'knex';
import { migrate } from '../../src/db/migrate';
import { freshDatabase, Template, TestDatabase } from '../helpers/pg';

/** Membership products of the dump (product_product ids). */
export const SILVER = 64; // 2026-01-01 .. 2026-12-31
export const GOLD = 65; // 2026-01-01 .. 2026-12-31
export const PLATINUM = 66; // 2026-07-01 .. 2027-06-30

/** Silver 500 / Gold 2,000 / Platinum 5,000 over `windowDays`, with the dump's periods unless overridden. */
export async function configureTiers(db: Knex, windowDays = 365, periods: Partial<Record<number, [string | null, string | null]>> = {}): Promise<void> {
  const tiers: Array<[number, number, number]> = [[SILVER, 1, 500], [GOLD, 2, 2000], [PLATINUM, 3, 5000]];
  for (const [product, rank, min] of tiers) {
    const tmpl = db('product_product').where({ id: product }).select('product_tmpl_id');
    await db('product_template').whereIn('id', tmpl).update({ membership_rank: rank, membership_min_amount: min, membership_window_days: windowDays });
    const period = periods[product];
    if (period) await db('product_template').whereIn('id', tmpl).update({ membership_date_from: period[0], membership_date_to: period[1] });
  }
}

let orderSeq = 0;

/** A POS order of `amount` for the partner (a refund when negative), in an existing session. */
export async function addOrder(db: Knex, partnerId: number, amount: number, dateOrder: string, state = 'paid'): Promise<number> {
  const session = await db('pos_session').orderBy('id').first('id', 'config_id');
  const [row] = await db('pos_order')
    .insert({
      name: `Test/${process.pid}/${++orderSeq}`,
      partner_id: partnerId,
      company_id: 1,
      session_id: session.id,
      config_id: session.config_id,
      state,
      date_order: dateOrder,
      amount_tax: 0,
      amount_total: amount,
      amount_paid: amount,
      amount_return: 0,
      create_date: dateOrder,
      write_date: dateOrder,
    })
    .returning('id');
  return row.id;
}

export interface LineView {
  membership_id: number;
  state: string;
  date_from: string;
  date_to: string;
  date_cancel: string | null;
  member_price: number;
  member_transaction_amount_total: number | null;
}

export async function linesOf(db: Knex, partnerId: number): Promise<LineView[]> {
  return (
    await db.raw(
      `select membership_id, state, date_from::text, date_to::text, date_cancel::text, member_price::float8,
              member_transaction_amount_total::float8
         from membership_membership_line where partner = ? order by id`,
      [partnerId],
    )
  ).rows;
}

export async function partnerColumns(db: Knex, partnerId: number) {
  return (
    await db.raw(
      `select membership_state as state, membership_start::text as start, membership_stop::text as stop, membership_cancel::text as cancel
         from res_partner where id = ?`,
      [partnerId],
    )
  ).rows[0];
}

/**
 * Registers before/after hooks giving the suite its own migrated copy of the dump; the
 * returned getter yields the knex instance once `before` has run.
 */
export function useMigratedDump(template: Template = 'odoo17'): () => Knex {
  let database: TestDatabase | undefined;
  let db: Knex | undefined;
  before(async () => {
    database = await freshDatabase(template);
    db = knex({ client: 'pg', connection: database.url, pool: { min: 0, max: 3 } });
    await migrate(db);
  });
  after(async () => {
    await db?.destroy();
    await database?.drop();
  });
  return () => db as Knex;
}

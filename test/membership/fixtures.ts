/** Test data for membership tiers on the recorded Odoo 17 dump. */
import { knex, Knex } from 'knex';
import { migrate } from '../../src/db/migrate';
import sinon from 'sinon';
import { freshDatabase, Template, TestDatabase } from '../helpers/pg';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';

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

/** A small seeded generator (mulberry32), so a failure replays. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Evaluation instants that cross tier periods and spend windows. */
export const TIMELINE = ['2026-11-22T12:00:00Z', '2026-12-15T09:00:00Z', '2027-01-05T18:00:00Z', '2027-03-10T06:00:00Z', '2027-08-01T12:00:00Z'];

/**
 * Random membership data over the dump's partners: orders (refunds, unpaid ones), free members,
 * associates (pointing at lower ids: no cycles), cancelled lines and lines without an end.
 */
export async function randomise(cr: Knex, seed: number): Promise<number[]> {
  const rnd = random(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  await configureTiers(cr, 60, { [SILVER]: [null, null] });
  const partners = (await cr.raw(`select id, membership_state from res_partner order by id`)).rows as Array<{ id: number; membership_state: string }>;
  for (const p of partners) {
    const n = Math.floor(rnd() * 5);
    for (let i = 0; i < n; i++) {
      const day = new Date(Date.UTC(2026, 8, 1) + Math.floor(rnd() * 300) * 86_400_000).toISOString().slice(0, 10);
      const amount = Math.round((rnd() < 0.15 ? -rnd() * 300 : rnd() * 1800) * 100) / 100;
      await addOrder(cr, p.id, amount, `${day} 1${Math.floor(rnd() * 10)}:00:00`, pick(['paid', 'done', 'invoiced', 'draft']));
    }
    // Odoo's computation is not idempotent for a free member stored as paid (it reads its
    // own stored value): Odoo behaves the same, so such partners are left out here.
    if (rnd() < 0.1 && p.membership_state !== 'paid') await cr('res_partner').where({ id: p.id }).update({ free_member: true });
  }
  // Associates (pointing at lower ids: no cycles), cancelled lines and lines without an end.
  for (const p of partners) {
    if (p.id > 20 && rnd() < 0.1) await cr('res_partner').where({ id: p.id }).update({ associate_member: pick(partners.filter((q) => q.id < p.id)).id });
  }
  const lineIds = (await cr('membership_membership_line').select('id')).map((r: { id: number }) => r.id);
  for (const id of lineIds) {
    if (rnd() < 0.2) await cr('membership_membership_line').where({ id }).update({ date_cancel: '2026-10-01' });
    else if (rnd() < 0.1) await cr('membership_membership_line').where({ id }).update({ date_to: null });
  }
  return partners.map((p) => p.id);
}

/** Every line and every partner's membership columns, in a comparable order. */
export async function snapshot(cr: Knex) {
  const lines = (
    await cr.raw(
      `select partner, membership_id, state, date_from::text, date_to::text, date_cancel::text, date::text,
              member_price::float8, member_transaction_amount_total::float8, company_id
         from membership_membership_line order by partner, id`,
    )
  ).rows;
  const partners = (
    await cr.raw(
      `select id, membership_state, membership_start::text, membership_stop::text, membership_cancel::text
         from res_partner order by id`,
    )
  ).rows;
  return { lines, partners };
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

/**
 * A sidecar on a fresh dump with the tiers configured, for a suite; the clock (Date only) set to
 * 2026-11-22 12:00 UTC before each test. Returns getters for both.
 */
export function useTierSidecar(): { sidecar: () => TestSidecar; clock: () => sinon.SinonFakeTimers } {
  let sidecar: TestSidecar | undefined;
  let clock: sinon.SinonFakeTimers | undefined;
  before(async () => {
    sidecar = await startTestSidecar('odoo17');
    await configureTiers(sidecar.ctx.db.knex);
  });
  after(async () => {
    await sidecar?.close();
  });
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: new Date('2026-11-22T12:00:00Z'), toFake: ['Date'] });
  });
  afterEach(() => clock?.restore());
  return { sidecar: () => sidecar!, clock: () => clock! };
}

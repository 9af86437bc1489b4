/**
 * Tills on overlapping cards, as the concurrency test and bench/tills run them: each till is
 * an HTTP client of its own, as the cashier. Half the tills sell through Odoo's POS methods
 * over JSON-RPC (create_from_ui, then confirm_coupon_programs; the order earns on its
 * customer's Retail Club card and its lines name two gift cards), the other half send web
 * orders to REST /api/v1/orders that earn on a customer's card and pay with two gift cards
 * (their codes entered, their rewards claimed), the two taken at random from nine shared ones
 * and in random order: concurrent transactions want the same cards in every possible order.
 */
import { Knex } from 'knex';
import { hashPassword } from '../../src/auth/password';
import { writeLedger } from '../../src/ledger/ledger';

/** The dump's Retail Club (program 15) customers and its POS gift cards (program 1, reward 1: $1 per point). */
export const CUSTOMERS = [63, 64, 65, 66, 71, 72, 47, 50, 58, 62, 75, 68, 67];
export const GIFT_CARDS = [43, 44, 45, 46, 65, 66, 67, 68, 72];
const GIFT_REWARD = 1;
const GIFT_PRODUCT = 38;
const CASHIER = 8;

export interface TillRun {
  tills: number;
  orders: number;
  failed: number;
  /** Orders whose transaction PostgreSQL broke as a deadlock (its error text), plus the server's own count. */
  deadlocks: number;
  seconds: number;
  ordersPerSecond: number;
  errors: string[];
}

/** Gives the cashier a cheap password, and every gift card `points` points through the ledger. */
export async function prepareTills(db: Knex, giftPoints: number): Promise<Map<number, string>> {
  await db('res_users').where({ id: CASHIER }).update({ password: await hashPassword('till-pw', 1000) });
  // A gift card pays at most $30 of an order: a web order of $80.50 spends from both its cards.
  await db('loyalty_reward').where({ id: GIFT_REWARD }).update({ discount_max_amount: 30, write_date: db.raw("now() at time zone 'utc'") });
  // Through the ledger's own write (an adjust move), so points = sum(moves) holds from the start.
  await db.transaction(async (cr) => {
    for (const id of GIFT_CARDS) {
      const card = await cr('loyalty_card').where({ id }).first('points');
      const delta = giftPoints - (card.points ?? 0);
      if (delta) await writeLedger(cr, { cardId: id, entries: [{ kind: 'adjust', points: delta }], origin: { description: 'till test top-up' }, uid: 2, now: new Date() });
    }
  });
  return new Map((await db('loyalty_card').whereIn('id', GIFT_CARDS).select('id', 'code')).map((r: { id: number; code: string }) => [r.id, r.code]));
}

/** A web order of one product for a customer, paid with two gift cards (codes entered, rewards claimed, in random order). */
function webOrder(codes: Map<number, string>) {
  const n = ++counter;
  const gifts = [...GIFT_CARDS].sort(() => Math.random() - 0.5).slice(0, 2);
  return {
    reference: `WEB-${process.pid}-${n}`, partner_id: pick(CUSTOMERS), date_order: '2026-11-22',
    lines: [{ product_id: 5, qty: 1, price_unit: 70, tax_ids: [1] }],
    codes: gifts.map((g) => codes.get(g)!), rewards: gifts.map((g) => ({ reward_id: GIFT_REWARD, coupon_id: g })),
  };
}

let counter = 0;
const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];

function uiOrder(till: number) {
  const n = ++counter;
  const ref = `90${String(till).padStart(3, '0')}-${process.pid % 1000}-${n}`;
  const [g1, g2] = [...GIFT_CARDS].sort(() => Math.random() - 0.5);
  const sale = [0, 0, { qty: 1, price_unit: 70, price_subtotal: 70, price_subtotal_incl: 80.5, discount: 0, product_id: 5, tax_ids: [[6, false, [1]]], full_product_name: 'sale', price_extra: 0 }];
  const pay = (coupon: number, k: number) => [0, 0, {
    qty: 1, price_unit: -1, price_subtotal: -1, price_subtotal_incl: -1, discount: 0, product_id: GIFT_PRODUCT, tax_ids: [[6, false, []]],
    full_product_name: 'gift card', price_extra: 0, is_reward_line: true, reward_id: GIFT_REWARD, coupon_id: coupon, reward_identifier_code: `g${n}-${k}`, points_cost: 1,
  }];
  const lines = [sale, pay(g1, 1), pay(g2, 2)].sort(() => Math.random() - 0.5);
  return {
    id: ref,
    data: {
      name: `Order ${ref}`, amount_paid: 78.5, amount_total: 78.5, amount_tax: 10.5, amount_return: 0, lines,
      statement_ids: [[0, 0, { name: '2026-11-22 10:00:00', payment_method_id: 2, amount: 78.5 }]],
      pos_session_id: 4, pricelist_id: false, partner_id: pick(CUSTOMERS), user_id: CASHIER, uid: ref, sequence_number: n,
      date_order: '2026-11-22 10:00:00', fiscal_position_id: false, server_id: false, to_invoice: false,
    },
  };
}

async function rpc(url: string, dbName: string, model: string, method: string, args: unknown[]): Promise<unknown> {
  const res = await fetch(url + '/jsonrpc', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { service: 'object', method: 'execute_kw', args: [dbName, CASHIER, 'till-pw', model, method, args, {}] } }),
  });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  const body = (await res.json()) as { result?: unknown; error?: { data: { message: string } } };
  if (body.error) throw new Error(body.error.data.message);
  return body.result;
}

/** `tills` tills selling `perTill` orders each, all at once; PostgreSQL's deadlock count read before and after. */
export async function runTills(url: string, dbName: string, db: Knex, codes: Map<number, string>, tills: number, perTill: number): Promise<TillRun> {
  const auth = 'Basic ' + Buffer.from('cashier:till-pw').toString('base64');
  const deadlocksNow = async () => Number((await db.raw('select deadlocks from pg_stat_database where datname = current_database()')).rows[0].deadlocks);
  const before = await deadlocksNow();
  const errors: string[] = [];
  let orders = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: tills }, async (_, till) => {
    for (let k = 0; k < perTill; k++) {
      try {
        if (till % 2 === 0) {
          const [{ id }] = (await rpc(url, dbName, 'pos.order', 'create_from_ui', [[uiOrder(till)]])) as Array<{ id: number }>;
          await rpc(url, dbName, 'pos.order', 'confirm_coupon_programs', [[id], {}]);
        } else {
          const res = await fetch(url + '/api/v1/orders', { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(webOrder(codes)) });
          if (res.status !== 201) throw new Error(`REST ${res.status}: ${await res.text()}`);
        }
        orders++;
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
  }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // The server's statistics reach pg_stat_database when the sessions report them: give them a moment.
  await new Promise((r) => setTimeout(r, 1200));
  const counted = (await deadlocksNow()) - before;
  const inErrors = errors.filter((e) => /deadlock/i.test(e)).length;
  return { tills, orders, failed: errors.length, deadlocks: Math.max(counted, inErrors), seconds, ordersPerSecond: orders / seconds, errors: [...new Set(errors)].slice(0, 5) };
}

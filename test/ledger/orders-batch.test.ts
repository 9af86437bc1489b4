/** Paid POS orders processed in batches (processPosOrders): the same database as one by one, bad orders apart, once. */
import { expect } from 'chai';
import { Knex } from 'knex';
import '../../src/models';
import { processPosOrder, processPosOrders } from '../../src/orders/process-pos-order';
import { AppContext } from '../../src/context';
import { loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/connection';
import { boot } from '../../src/server';
import { expectLedgerBalanced } from '../helpers/ledger';
import { freshDatabase, TestDatabase } from '../helpers/pg';
import { configureTiers } from '../membership/fixtures';

const NOW = new Date('2026-11-22T12:00:00Z');

/** The suite's own migrated copy of the dump, as the service sees it (its context). */
function useDumpCopy(): () => AppContext {
  let database: TestDatabase | undefined;
  let app: AppContext | undefined;
  before(async () => {
    database = await freshDatabase('odoo17');
    app = await boot(loadConfig({}), await openDatabase({ databaseUrl: database.url, dataDir: '' }, 12));
  });
  after(async () => {
    await app?.db.close();
    await database?.drop();
  });
  return () => app!;
}

interface Line {
  product: number;
  qty: number;
  price: number;
  incl: number;
  reward?: { id: number; couponId: number | null; cost: number };
  refunds?: number;
}

/** A paid order in session 4 (point of sale 1) with its lines, written as the POS writes them. */
async function addOrder(db: Knex, partnerId: number | null, lines: Line[], state = 'paid'): Promise<number> {
  const total = lines.reduce((s, l) => s + l.incl, 0);
  const [{ id }] = (await db.raw(`
    INSERT INTO pos_order (name, session_id, config_id, company_id, partner_id, state, date_order, amount_tax, amount_total, amount_paid, amount_return, pos_reference, create_date, write_date)
    SELECT 'Batch/' || (SELECT count(*) + 1 FROM pos_order), 4, 1, 1, ?, ?, '2026-11-22 10:00:00', 0, ?, ?, 0, 'Batch ' || (SELECT count(*) + 1 FROM pos_order), now(), now()
    RETURNING id`, [partnerId, state, total, total])).rows;
  for (const l of lines) {
    const [line] = (await db.raw(`
      INSERT INTO pos_order_line (order_id, company_id, name, full_product_name, product_id, qty, price_unit, price_subtotal, price_subtotal_incl, discount,
                                  is_reward_line, reward_id, coupon_id, points_cost, refunded_orderline_id, create_date, write_date)
      VALUES (?, 1, 'line', 'line', ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, now(), now()) RETURNING id`,
    [id, l.product, l.qty, l.price, l.incl / 1.15, l.incl, !!l.reward, l.reward?.id ?? null, l.reward?.couponId ?? null, l.reward?.cost ?? 0, l.refunds ?? null])).rows;
    await db.raw('INSERT INTO account_tax_pos_order_line_rel (pos_order_line_id, account_tax_id) VALUES (?, 1)', [line.id]);
  }
  return id;
}

const firstLine = async (db: Knex, orderId: number) => (await db('pos_order_line').where({ order_id: orderId }).orderBy('id').first('id')).id as number;

/**
 * Varied orders, the same on any copy of the dump; answers the ids in the order to process
 * them: two orders of one partner and card (the second spends what the first earned), a
 * partner claiming another's card (17, partner 64), a claim the engine refuses (the card
 * lacks the points), a refund processed before its
 * original (the refund processes it), a refund of an order processed earlier, an order
 * without partner, a promo-code reward (the card is created and the line linked), a new
 * customer (cards opened, reused by the next order, whose stamp is the tier the first earned),
 * spend that earns a tier.
 */
async function variedOrders(db: Knex): Promise<number[]> {
  await configureTiers(db);
  const ids: number[] = [];
  const desk = { product: 19, qty: 1, price: 1799, incl: 2068.85 };
  ids.push(await addOrder(db, 64, [desk, { product: 5, qty: 2, price: 70, incl: 161 }]));
  ids.push(await addOrder(db, 65, [{ product: 5, qty: 2, price: 70, incl: 161 }]));
  ids.push(await addOrder(db, 64, [{ product: 5, qty: 1, price: 70, incl: 80.5 }, { product: 76, qty: 1, price: -20, incl: -23, reward: { id: 15, couponId: 17, cost: 400 } }]));
  ids.push(await addOrder(db, 66, [desk, { product: 76, qty: 1, price: -20, incl: -23, reward: { id: 15, couponId: 17, cost: 400 } }]));
  ids.push(await addOrder(db, 67, [desk, { product: 76, qty: 1, price: -5000, incl: -5750, reward: { id: 15, couponId: 18, cost: 100000 } }]));
  const original = await addOrder(db, 69, [{ product: 5, qty: 4, price: 70, incl: 322 }]);
  const refundFirst = await addOrder(db, 69, [{ product: 5, qty: -2, price: 70, incl: -161, refunds: await firstLine(db, original) }]);
  ids.push(refundFirst, original);
  ids.push(await addOrder(db, 64, [{ product: 19, qty: -1, price: 1799, incl: -2068.85, refunds: await firstLine(db, ids[0]) }]));
  ids.push(await addOrder(db, null, [{ product: 5, qty: 1, price: 70, incl: 80.5 }]));
  ids.push(await addOrder(db, 63, [{ product: 35, qty: 1, price: 1500, incl: 1725 }, { product: 72, qty: 1, price: -225, incl: -258.75, reward: { id: 11, couponId: null, cost: 1 } }]));
  ids.push(await addOrder(db, 68, [desk]));
  ids.push(await addOrder(db, 68, [{ product: 27, qty: 3, price: 120, incl: 414 }]));
  // Partner 70 holds no card at all: only the partner keeps its two orders apart.
  ids.push(await addOrder(db, 70, [desk]));
  ids.push(await addOrder(db, 70, [{ product: 5, qty: 1, price: 70, incl: 80.5 }]));
  ids.push(await addOrder(db, 67, [{ product: 19, qty: 2, price: 1799, incl: 4137.7 }]));
  ids.push(await addOrder(db, 67, [{ product: 5, qty: 1, price: 70, incl: 80.5 }]));
  return ids;
}

/**
 * What processing writes, comparable between two copies: cards the processing created are
 * named by what made them (their ids depend on the order of creation, their codes are random);
 * rows whose ids may follow another order are compared as sets.
 */
async function snapshot(db: Knex, cardsBefore: number) {
  const rows = async (sql: string) => (await db.raw(sql)).rows as Array<Record<string, unknown>>;
  const created = new Map((await rows(`SELECT id, program_id, partner_id, source_pos_order_id FROM loyalty_card WHERE id > ${cardsBefore}`))
    .map((c) => [c.id as number, `new:${c.program_id}:${c.partner_id}:${c.source_pos_order_id}`]));
  const card = (id: unknown) => created.get(id as number) ?? id;
  const sortBy = <T>(list: T[]) => list.map((x) => JSON.stringify(x)).sort();
  return {
    cards: sortBy((await rows(`SELECT id, program_id, partner_id, points, source_pos_order_id FROM loyalty_card ORDER BY id`)).map((c) => ({ ...c, id: card(c.id) }))),
    moves: sortBy((await rows(`SELECT card_id, kind, points::float8, remaining::float8, expiration_date::text, lot_id, pos_order_id, reference, reason, create_uid FROM loyalty_point_move`))
      .map((m) => ({ ...m, card_id: card(m.card_id) }))),
    history: sortBy((await rows(`SELECT card_id, description, issued, used, order_model, order_id FROM loyalty_point_history`)).map((h) => ({ ...h, card_id: card(h.card_id) }))),
    processed: (await rows(`SELECT pos_order_id, source, result FROM sidecar_processed_order ORDER BY pos_order_id`)).map((p) => ({
      ...p, result: p.result && { ...(p.result as object), cards: ((p.result as { cards: Array<{ card_id: number }> }).cards).map((c) => ({ ...c, card_id: card(c.card_id) })) },
    })),
    // A batch evaluates its partners together: their new lines' ids follow the partners, not the orders.
    memberships: sortBy(await rows(`SELECT partner, membership_id, date_from::text, date_to::text, date_cancel::text, state, member_transaction_amount_total::float8 FROM membership_membership_line`)),
    partners: await rows(`SELECT id, membership_state, membership_start::text, membership_stop::text, membership_cancel::text FROM res_partner ORDER BY id`),
    stamps: await rows(`SELECT id, membership_product_id FROM pos_order ORDER BY id`),
    links: (await rows(`SELECT id, coupon_id FROM pos_order_line ORDER BY id`)).map((l) => ({ ...l, coupon_id: card(l.coupon_id) })),
  };
}

describe('ledger: paid POS orders in batches', () => {
  const appA = useDumpCopy();
  const appB = useDumpCopy();
  const oneByOne = () => appA().db.knex;
  const batched = () => appB().db.knex;
  const opts = (app: () => AppContext) => ({ source: 'api' as const, uid: 2, now: NOW, app: app() });
  afterEach(async () => {
    await expectLedgerBalanced(oneByOne());
    await expectLedgerBalanced(batched());
  });

  it('N varied orders batched give exactly the database that processing them one by one gives', async () => {
    const maxCard = async (db: Knex) => (await db('loyalty_card').max('id as id').first())!.id as number;
    const idsA = await variedOrders(oneByOne());
    const idsB = await variedOrders(batched());
    expect(idsB).to.deep.equal(idsA);
    const cardsBefore = await maxCard(oneByOne());
    expect(await maxCard(batched())).to.equal(cardsBefore);

    const single = [];
    for (const id of idsA) single.push(await oneByOne().transaction((cr) => processPosOrder(cr, id, opts(appA))));
    const batch = await batched().transaction((cr) => processPosOrders(cr, idsB, opts(appB)));

    const a = await snapshot(oneByOne(), cardsBefore);
    const b = await snapshot(batched(), cardsBefore);
    // The cases happened: a spend refused, the shared card spent, cards created, a tier earned.
    // One by one, the refund that comes first processes its original: the original's own turn finds it done.
    expect(single.filter((o) => !o.processed).map((o) => o.pos_order_id)).to.deep.equal([idsA[6]]);
    expect(a.moves.filter((m) => m.includes('"kind":"redeem"')).length).to.equal(2);
    expect(a.cards.filter((c) => c.includes('new:')).length).to.be.greaterThan(1);
    expect(a.memberships.some((m) => m.includes('"partner":70'))).to.equal(true);
    expect(a.stamps.some((s) => s.membership_product_id !== null)).to.equal(true);
    for (const key of Object.keys(a) as Array<keyof typeof a>) expect(b[key], key).to.deep.equal(a[key]);
    // The batch processed them all itself.
    expect(batch.map((o) => [o.pos_order_id, o.processed])).to.deep.equal(idsB.map((id) => [id, true]));
  });

  it('a batch with a failing order processes the others and writes nothing of the bad one', async () => {
    const db = batched();
    const good1 = await addOrder(db, 70, [{ product: 5, qty: 1, price: 70, incl: 80.5 }]);
    const draft = await addOrder(db, 71, [{ product: 5, qty: 1, price: 70, incl: 80.5 }], 'draft');
    const good2 = await addOrder(db, 72, [{ product: 5, qty: 2, price: 70, incl: 161 }]);
    const out = await db.transaction((cr) => processPosOrders(cr, [good1, draft, good2, 999999], opts(appB)));
    expect(out.map((o) => [o.pos_order_id, o.processed])).to.deep.equal([[good1, true], [draft, false], [good2, true], [999999, false]]);
    expect(out[1].error?.message).to.match(/is not paid/);
    expect(out[3].error).to.be.instanceOf(Error);
    expect(Number((await db('sidecar_processed_order').whereIn('pos_order_id', [draft, 999999]).count('* as n'))[0].n)).to.equal(0);
    expect(Number((await db('loyalty_point_move').where({ pos_order_id: draft }).count('* as n'))[0].n)).to.equal(0);
    expect((await db('loyalty_point_move').whereIn('pos_order_id', [good1, good2]).select('pos_order_id')).length).to.be.greaterThan(1);
  });

  it('a batch racing the single path on the same orders earns once', async () => {
    const db = batched();
    const ids: number[] = [];
    for (const p of [64, 65, 66, 64, 65]) ids.push(await addOrder(db, p, [{ product: 5, qty: 1, price: 70, incl: 80.5 }]));
    const racers = await Promise.all([
      db.transaction((cr) => processPosOrders(cr, ids, opts(appB))),
      ...ids.map((id) => db.transaction((cr) => processPosOrder(cr, id, opts(appB)))),
      db.transaction((cr) => processPosOrders(cr, [...ids].reverse(), opts(appB))),
    ]);
    const wins = racers.flat().filter((o) => o.processed).map((o) => o.pos_order_id).sort((x, y) => x - y);
    expect(wins).to.deep.equal([...ids].sort((x, y) => x - y));
    const earns = (await db.raw(`SELECT pos_order_id, card_id, count(*)::int AS n FROM loyalty_point_move WHERE pos_order_id = ANY(?) AND kind = 'earn' GROUP BY 1, 2`, [ids])).rows;
    expect(earns.length).to.be.at.least(ids.length);
    expect(earns.every((r: { n: number }) => r.n === 1)).to.equal(true);
  });
});

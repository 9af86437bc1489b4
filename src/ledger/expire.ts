import { Knex } from 'knex';
import { outboxInsert } from '../events/outbox';
import { movesJson, pointsMovedSelect } from '../events/points';
import { Progress } from '../jobs/progress';
import { odooDate, odooDatetime } from './time';

/** Cards per statement of the daily expiry: large enough to be set-based, small enough to hold their locks briefly. */
export const EXPIRY_BATCH = 5000;

/**
 * Expires one card's lots whose last valid day is before `now`'s date (UTC): one expire move
 * per lot, for what is left of it. Called before every redeem (a lot past its day cannot be
 * spent, even when the job has not run yet). Returns the points expired.
 */
export async function expireCardLots(cr: Knex, cardId: number, now: Date, uid: number | null): Promise<number> {
  return (await expireCards(cr, [cardId], now, uid)).points;
}

/**
 * Expires the due lots of these cards in one statement, the same rows writeLedger writes for
 * them one card at a time: per lot an expire move for what is left of it (drawn from that lot,
 * `lot_id`), the lot emptied, the card's points lowered by the sum, one history line per card
 * ("Points expired (valid until <its latest lot's day>)"), one points.moved event per card. The
 * cards are locked first, in id order (every writer of a card's lots holds its lock), and their
 * lots read after: the amounts are the ones the moves take.
 */
export async function expireCards(cr: Knex, cardIds: number[], now: Date, uid: number | null): Promise<{ cards: number; points: number }> {
  if (!cardIds.length) return { cards: 0, points: 0 };
  await cr.raw('SELECT 1 FROM loyalty_card WHERE id = ANY(?::int[]) ORDER BY id FOR NO KEY UPDATE', [cardIds]);
  const at = odooDatetime(now);
  const row = (await cr.raw(`
    WITH due AS (
      SELECT m.id, m.card_id, m.remaining, m.expiration_date FROM loyalty_point_move m
       WHERE m.card_id = ANY(?::int[]) AND m.remaining > 0 AND m.expiration_date < ?::date
    ), card AS (
      SELECT c.id, c.company_id, c.program_id, c.partner_id FROM loyalty_card c WHERE c.id IN (SELECT card_id FROM due)
    ), moves AS (
      INSERT INTO loyalty_point_move (card_id, kind, points, remaining, lot_id, reason, company_id, create_uid, create_date, write_uid, write_date)
      SELECT d.card_id, 'expire', -d.remaining, 0, d.id, 'expiry', card.company_id, ?::int, ?, ?::int, ?
        FROM due d JOIN card ON card.id = d.card_id ORDER BY d.card_id, d.expiration_date, d.id
      RETURNING id, card_id, kind, points
    ), lots AS (
      UPDATE loyalty_point_move m SET remaining = 0, write_uid = ?, write_date = ? FROM due d WHERE m.id = d.id
    ), per_card AS (
      SELECT card_id, SUM(remaining)::float8 AS points, MAX(expiration_date) AS until FROM due GROUP BY card_id
    ), updated AS (
      UPDATE loyalty_card c SET points = COALESCE(c.points, 0) - p.points, write_uid = COALESCE(?::int, c.write_uid), write_date = ?
        FROM per_card p WHERE c.id = p.card_id RETURNING c.id, c.points
    ), history AS (
      INSERT INTO loyalty_point_history (card_id, company_id, description, issued, used, create_uid, create_date, write_uid, write_date)
      SELECT p.card_id, card.company_id, 'Points expired (valid until ' || p.until::text || ')', 0, p.points, ?::int, ?, ?::int, ?
        FROM per_card p JOIN card ON card.id = p.card_id ORDER BY p.card_id
    ), events AS (
      ${outboxInsert(cr, pointsMovedSelect(`
        SELECT p.card_id, card.program_id, card.partner_id, u.points AS balance, -p.points AS delta, ${movesJson('moves', 'p.card_id')} AS moves,
               'expiry' AS reason, NULL::varchar AS reference, NULL::int AS pos_order_id
          FROM per_card p JOIN card ON card.id = p.card_id JOIN updated u ON u.id = p.card_id ORDER BY p.card_id`))}
    )
    SELECT count(*)::int AS cards, COALESCE(SUM(points), 0)::float8 AS points FROM per_card`,
  [cardIds, odooDate(now), uid, at, uid, at, uid, at, uid, at, uid, at, uid, at])).rows[0] as { cards: number; points: number };
  return row;
}

export interface ExpiryOptions {
  uid?: number | null;
  /** A server's knex: each batch commits on its own (its cards' locks are held for one batch, not the whole run). */
  ownTransactions?: Knex;
  progress?: Progress;
  /** The cards this run may write (the job's user's record rules); all when absent. */
  allowed?: (cardIds: number[]) => Promise<Set<number>>;
}

/**
 * The daily job's work: every card holding a lot past its last valid day, EXPIRY_BATCH cards
 * per statement in ascending card id. A run stopped half-way leaves whole batches expired; the
 * next run does the rest.
 */
export async function expireDueLots(db: Knex, now: Date, opts: ExpiryOptions = {}): Promise<{ cards: number; points: number }> {
  let ids = ((await db.raw(`
    SELECT DISTINCT card_id FROM loyalty_point_move
     WHERE remaining > 0 AND expiration_date < ?::date ORDER BY card_id`, [odooDate(now)])).rows as Array<{ card_id: number }>).map((r) => r.card_id);
  if (opts.allowed) {
    const mine = await opts.allowed(ids);
    ids = ids.filter((id) => mine.has(id));
  }
  const total = { cards: 0, points: 0 };
  for (let i = 0; i < ids.length; i += EXPIRY_BATCH) {
    const batch = ids.slice(i, i + EXPIRY_BATCH);
    const run = (cr: Knex) => expireCards(cr, batch, now, opts.uid ?? null);
    const done = opts.ownTransactions ? await opts.ownTransactions.transaction(run) : await run(db);
    total.cards += done.cards;
    total.points += done.points;
    opts.progress?.step(i + batch.length, ids.length, { points: Math.round(total.points * 100) / 100 });
  }
  return total;
}

import { Knex } from 'knex';
import { writeLedger } from './ledger';
import { odooDate } from './time';

/**
 * Expires one card's lots whose last valid day is before `now`'s date (UTC): one expire move
 * per lot, for what is left of it. Locks the card first, so the amounts read are the ones the
 * moves take. Called by the daily job, and before every redeem (a lot past its day cannot be
 * spent, even when the job has not run yet). Returns the points expired.
 */
export async function expireCardLots(cr: Knex, cardId: number, now: Date, uid: number | null): Promise<number> {
  await cr.raw('SELECT 1 FROM loyalty_card WHERE id = ? FOR NO KEY UPDATE', [cardId]);
  const due = (await cr.raw(`
    SELECT id, remaining::float8 AS remaining, expiration_date::text AS expiration_date FROM loyalty_point_move
     WHERE card_id = ? AND remaining > 0 AND expiration_date < ?::date ORDER BY expiration_date, id`, [cardId, odooDate(now)])).rows as
    Array<{ id: number; remaining: number; expiration_date: string }>;
  if (!due.length) return 0;
  await writeLedger(cr, {
    cardId,
    entries: due.map((l) => ({ kind: 'expire' as const, points: -l.remaining, drawFirst: { lotId: l.id } })),
    origin: { description: `Points expired (valid until ${due[due.length - 1].expiration_date})`, reason: 'expiry' },
    uid,
    now,
  });
  return due.reduce((s, l) => s + l.remaining, 0);
}

/** The daily job's work: every card holding a lot past its last valid day. */
export async function expireDueLots(
  db: Knex, now: Date, uid: number | null = null, allowed?: (cardIds: number[]) => Promise<Set<number>>,
): Promise<{ cards: number; points: number }> {
  let cards = (await db.raw(`
    SELECT DISTINCT card_id FROM loyalty_point_move
     WHERE remaining > 0 AND expiration_date < ?::date ORDER BY card_id`, [odooDate(now)])).rows as Array<{ card_id: number }>;
  if (allowed) {
    const mine = await allowed(cards.map((c) => c.card_id));
    cards = cards.filter((c) => mine.has(c.card_id));
  }
  // In ascending id, one after the other: the global lock order (orders/cards.ts lockOrderCards).
  let points = 0;
  for (const { card_id } of cards) points += await expireCardLots(db, card_id, now, uid);
  return { cards: cards.length, points };
}

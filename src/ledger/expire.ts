import { Knex } from 'knex';
import { writeLedger } from './ledger';
import { odooDate } from './time';

/**
 * Expires every lot whose last valid day is before `now`'s date (UTC): one expire move per
 * lot, for what is left of it, through the ledger (so the card row is locked and
 * points = sum(moves) holds). Returns the points expired per card.
 */
export async function expireDueLots(db: Knex, now: Date, uid: number | null = null): Promise<{ lots: number; cards: number; points: number }> {
  const today = odooDate(now);
  const due = (await db.raw(`
    SELECT id, card_id, remaining, expiration_date::text AS expiration_date FROM loyalty_point_move
     WHERE remaining > 0 AND expiration_date < ?::date
     ORDER BY card_id, expiration_date, id`, [today])).rows as Array<{ id: number; card_id: number; remaining: number; expiration_date: string }>;
  const byCard = new Map<number, typeof due>();
  for (const lot of due) byCard.set(lot.card_id, [...(byCard.get(lot.card_id) ?? []), lot]);
  let points = 0;
  for (const [cardId, lots] of byCard) {
    // The lots may have shrunk since the scan (a redeem drew from them): lock the card
    // first (writeLedger takes the same lock again), then take what is left now.
    await db.raw('SELECT 1 FROM loyalty_card WHERE id = ? FOR UPDATE', [cardId]);
    const current = (await db.raw(`SELECT id, remaining FROM loyalty_point_move WHERE id = ANY(?) AND remaining > 0`, [lots.map((l) => l.id)])).rows as Array<{ id: number; remaining: number }>;
    if (!current.length) continue;
    await writeLedger(db, {
      cardId,
      entries: current.map((l) => ({ kind: 'expire' as const, points: -l.remaining, drawFirst: { lotId: l.id } })),
      origin: { description: `Points expired (valid until ${lots[0].expiration_date})`, reason: 'expiry' },
      uid,
      now,
    });
    points += current.reduce((s, l) => s + l.remaining, 0);
  }
  return { lots: due.length, cards: byCard.size, points };
}

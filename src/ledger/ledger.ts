import { Knex } from 'knex';
import { MissingError } from '../errors';
import { InsufficientPoints } from './errors';
import { expireCardLots } from './expire';
import { odooDatetime } from './time';
import { LedgerEntry, LedgerResult, LedgerWrite } from './types';

/** Below this a difference of points is float noise (loyalty_card.points is a double). */
export const EPSILON = 1e-6;

/**
 * The one way points change: locks the card row, writes the moves, keeps the lots, updates
 * loyalty_card.points by the same amount and adds the history line, all in the caller's
 * transaction. So loyalty_card.points = sum(moves) holds after every commit, and two
 * writers on one card run one after the other.
 */
export async function writeLedger(cr: Knex, w: LedgerWrite): Promise<LedgerResult> {
  const card = (await cr.raw('SELECT id, points, company_id FROM loyalty_card WHERE id = ? FOR UPDATE', [w.cardId])).rows[0] as
    | { id: number; points: number | null; company_id: number | null }
    | undefined;
  if (!card) throw new MissingError(`Record does not exist or has been deleted.\n(Record: loyalty.card(${w.cardId},), User: ${w.uid ?? 1})`);
  let cardPoints = card.points ?? 0;
  const keys = w.entries.map((_, i) => (w.idempotencyKey ? `${w.idempotencyKey}:${i}` : null));
  if (keys[0]) {
    const seen = (await cr.raw('SELECT 1 FROM loyalty_point_move WHERE idempotency_key = ?', [keys[0]])).rows.length > 0;
    if (seen) return { cardId: w.cardId, balance: cardPoints, moveIds: [], duplicate: true };
  }
  if (w.requireFunds && (await expireCardLots(cr, w.cardId, w.now, w.uid)) > 0) {
    cardPoints = (await cr.raw('SELECT points FROM loyalty_card WHERE id = ?', [w.cardId])).rows[0].points ?? 0;
  }
  const delta = w.entries.reduce((s, e) => s + e.points, 0);
  if (w.requireFunds && cardPoints + delta < -EPSILON) throw new InsufficientPoints(w.cardId, cardPoints, -delta);

  const at = odooDatetime(w.now);
  let running = w.alreadyOnCard ? w.alreadyOnCard.ledgerBalance : cardPoints;
  const rows = [];
  for (const [i, entry] of w.entries.entries()) {
    let remaining = 0;
    if (entry.points > 0) {
      // A lot holds what it adds above zero: points that pay back a negative balance are gone.
      remaining = Math.max(running + entry.points, 0) - Math.max(running, 0);
    } else if (entry.points < 0) {
      await drawFromLots(cr, w.cardId, -entry.points, entry, w.uid, at);
    }
    running += entry.points;
    rows.push({
      card_id: w.cardId,
      kind: entry.kind,
      points: entry.points,
      remaining,
      expiration_date: entry.points > 0 ? entry.expirationDate ?? null : null,
      lot_id: entry.drawFirst?.lotId ?? null,
      pos_order_id: w.origin.posOrderId ?? null,
      reference: w.origin.reference ?? null,
      reason: w.origin.reason ?? null,
      idempotency_key: keys[i],
      company_id: card.company_id,
      create_uid: w.uid,
      create_date: at,
      write_uid: w.uid,
      write_date: at,
    });
  }
  const moveIds = rows.length ? (await cr('loyalty_point_move').insert(rows, ['id'])).map((r: { id: number }) => r.id) : [];

  let balance = cardPoints;
  if (!w.alreadyOnCard && delta !== 0) {
    balance = (await cr.raw('UPDATE loyalty_card SET points = COALESCE(points, 0) + ?::float8, write_uid = COALESCE(?, write_uid), write_date = ? WHERE id = ? RETURNING points',
      [delta, w.uid, at, w.cardId])).rows[0].points;
  }
  await writeHistory(cr, w, card.company_id, at);
  return { cardId: w.cardId, balance, moveIds, duplicate: false };
}

/**
 * Takes `amount` from the card's open lots: the preferred ones first, then those that expire
 * first (never-expiring last), oldest first. One statement: the running sum says how much
 * each lot gives. What the lots cannot cover is a negative balance, which has no lot.
 */
async function drawFromLots(cr: Knex, cardId: number, amount: number, entry: LedgerEntry, uid: number | null, at: string): Promise<void> {
  await cr.raw(`
    WITH lots AS (
      SELECT id, remaining,
             SUM(remaining) OVER (ORDER BY (id = ? OR pos_order_id = ?) IS TRUE DESC,
                                           expiration_date ASC NULLS LAST, id) AS upto
        FROM loyalty_point_move
       WHERE card_id = ? AND remaining > 0
    ), taken AS (
      SELECT id, LEAST(remaining, GREATEST(0, ?::numeric - (upto - remaining))) AS t FROM lots
    )
    UPDATE loyalty_point_move m
       SET remaining = m.remaining - taken.t, write_uid = ?, write_date = ?
      FROM taken
     WHERE m.id = taken.id AND taken.t > 0`,
  [entry.drawFirst?.lotId ?? null, entry.drawFirst?.posOrderId ?? null, cardId, amount, uid, at]);
}

/** One readable line per write, as Odoo 18's loyalty.history: what was issued and used. */
async function writeHistory(cr: Knex, w: LedgerWrite, companyId: number | null, at: string): Promise<void> {
  const issued = w.entries.filter((e) => e.points > 0).reduce((s, e) => s + e.points, 0);
  const used = w.entries.filter((e) => e.points < 0).reduce((s, e) => s - e.points, 0);
  await cr('loyalty_point_history').insert({
    card_id: w.cardId,
    company_id: companyId,
    description: w.origin.description,
    issued,
    used,
    order_model: w.origin.orderModel ?? (w.origin.posOrderId ? 'pos.order' : null),
    order_id: w.origin.orderId ?? w.origin.posOrderId ?? null,
    create_uid: w.uid,
    create_date: at,
    write_uid: w.uid,
    write_date: at,
  });
}

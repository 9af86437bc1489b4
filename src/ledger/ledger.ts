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
      // (Not max(b+p,0) - max(b,0) when b >= 0: in floats that can exceed p.)
      remaining = running >= 0 ? entry.points : Math.max(running + entry.points, 0);
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
  // Moves, card and history in one statement: one round trip for the whole write.
  const issued = w.entries.filter((e) => e.points > 0).reduce((t, e) => t + e.points, 0);
  const used = w.entries.filter((e) => e.points < 0).reduce((t, e) => t - e.points, 0);
  const history = {
    card_id: w.cardId, company_id: card.company_id, description: w.origin.description, issued, used,
    order_model: w.origin.orderModel ?? (w.origin.posOrderId ? 'pos.order' : null), order_id: w.origin.orderId ?? w.origin.posOrderId ?? null,
    create_uid: w.uid, create_date: at, write_uid: w.uid, write_date: at,
  };
  const out = (await cr.raw(`
    WITH moves AS (
      INSERT INTO loyalty_point_move (${MOVE_COLUMNS})
      SELECT ${MOVE_COLUMNS} FROM json_populate_recordset(NULL::loyalty_point_move, ?::json)
      RETURNING id
    ), card AS (
      UPDATE loyalty_card SET points = COALESCE(points, 0) + ?::float8, write_uid = COALESCE(?, write_uid), write_date = ?
       WHERE id = ? AND ?::boolean RETURNING points
    ), history AS (
      INSERT INTO loyalty_point_history (${HISTORY_COLUMNS})
      SELECT ${HISTORY_COLUMNS} FROM json_populate_record(NULL::loyalty_point_history, ?::json)
    )
    SELECT (SELECT array_agg(id ORDER BY id) FROM moves) AS ids, (SELECT points FROM card) AS points`,
  [JSON.stringify(rows), delta, w.uid, at, w.cardId, !w.alreadyOnCard && delta !== 0, JSON.stringify(history)])).rows[0];
  // Draws come after the moves are in: a redeem in the same write as an earn can take from its lot.
  for (const entry of w.entries) if (entry.points < 0) await drawFromLots(cr, w.cardId, -entry.points, entry, w.uid, at);
  return { cardId: w.cardId, balance: out.points ?? cardPoints, moveIds: out.ids ?? [], duplicate: false };
}

const MOVE_COLUMNS = 'card_id, kind, points, remaining, expiration_date, lot_id, pos_order_id, reference, reason, idempotency_key, company_id, create_uid, create_date, write_uid, write_date';
const HISTORY_COLUMNS = 'card_id, company_id, description, issued, used, order_model, order_id, create_uid, create_date, write_uid, write_date';

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

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
  // A write that checks nothing first (no idempotency key, no funds to check) locks the card
  // in the statement that writes: one round trip. The others lock and check first.
  const checked = !!w.idempotencyKey || !!w.requireFunds;
  let cardPoints: number | null = null;
  if (checked) {
    const card = (await cr.raw('SELECT id, points FROM loyalty_card WHERE id = ? FOR UPDATE', [w.cardId])).rows[0] as
      | { id: number; points: number | null }
      | undefined;
    if (!card) throw missingCard(w);
    cardPoints = card.points ?? 0;
  }
  const keys = w.entries.map((_, i) => (w.idempotencyKey ? `${w.idempotencyKey}:${i}` : null));
  if (keys[0]) {
    const seen = (await cr.raw('SELECT 1 FROM loyalty_point_move WHERE idempotency_key = ?', [keys[0]])).rows.length > 0;
    if (seen) return { cardId: w.cardId, balance: cardPoints!, moveIds: [], duplicate: true };
  }
  if (w.requireFunds && (await expireCardLots(cr, w.cardId, w.now, w.uid)) > 0) {
    cardPoints = (await cr.raw('SELECT points FROM loyalty_card WHERE id = ?', [w.cardId])).rows[0].points ?? 0;
  }
  const delta = w.entries.reduce((s, e) => s + e.points, 0);
  if (w.requireFunds && cardPoints! + delta < -EPSILON) throw new InsufficientPoints(w.cardId, cardPoints!, -delta);

  const at = odooDatetime(w.now);
  const rows = w.entries.map((entry, i) => ({
    ord: i,
    card_id: w.cardId,
    kind: entry.kind,
    points: entry.points,
    expiration_date: entry.points > 0 ? entry.expirationDate ?? null : null,
    lot_id: entry.drawFirst?.lotId ?? null,
    pos_order_id: w.origin.posOrderId ?? null,
    reference: w.origin.reference ?? null,
    reason: w.origin.reason ?? null,
    idempotency_key: keys[i],
    create_uid: w.uid,
    create_date: at,
    write_uid: w.uid,
    write_date: at,
  }));
  // Moves, card and history in one statement: one round trip for the whole write.
  // A lot holds what its entry adds above zero, counting from the balance before the write
  // (the ledger's own sum when the card already holds the change): points that pay back a
  // negative balance are gone. LEAST(p, running after) is p when the balance before is >= 0.
  const issued = w.entries.filter((e) => e.points > 0).reduce((t, e) => t + e.points, 0);
  const used = w.entries.filter((e) => e.points < 0).reduce((t, e) => t - e.points, 0);
  const history = {
    card_id: w.cardId, description: w.origin.description, issued, used,
    order_model: w.origin.orderModel ?? (w.origin.posOrderId ? 'pos.order' : null), order_id: w.origin.orderId ?? w.origin.posOrderId ?? null,
    create_uid: w.uid, create_date: at, write_uid: w.uid, write_date: at,
  };
  const out = (await cr.raw(`
    WITH card AS (
      SELECT id, COALESCE(points, 0) AS points, company_id FROM loyalty_card WHERE id = ? FOR UPDATE
    ), entries AS (
      SELECT e.*, COALESCE(?::float8, card.points) + SUM(e.points) OVER (ORDER BY e.ord ROWS UNBOUNDED PRECEDING) AS running_after,
             card.company_id AS card_company_id
        FROM json_to_recordset(?::json) AS e(ord int, card_id int, kind varchar, points float8, expiration_date date, lot_id int,
             pos_order_id int, reference varchar, reason varchar, idempotency_key varchar, create_uid int, create_date timestamp,
             write_uid int, write_date timestamp)
        JOIN card ON card.id = e.card_id
    ), moves AS (
      INSERT INTO loyalty_point_move (${MOVE_COLUMNS})
      SELECT card_id, kind, points, CASE WHEN points > 0 THEN GREATEST(LEAST(points, running_after), 0) ELSE 0 END,
             expiration_date, lot_id, pos_order_id, reference, reason, idempotency_key, card_company_id, create_uid, create_date, write_uid, write_date
        FROM entries ORDER BY ord
      RETURNING id
    ), updated AS (
      -- (SELECT id FROM card): an init plan, so the lock above is taken before this update runs.
      UPDATE loyalty_card c SET points = COALESCE(c.points, 0) + ?::float8, write_uid = COALESCE(?, c.write_uid), write_date = ?
       WHERE c.id = (SELECT id FROM card) AND ?::boolean RETURNING c.points
    ), history AS (
      INSERT INTO loyalty_point_history (${HISTORY_COLUMNS})
      SELECT h.card_id, card.company_id, h.description, h.issued, h.used, h.order_model, h.order_id, h.create_uid, h.create_date, h.write_uid, h.write_date
        FROM json_populate_record(NULL::loyalty_point_history, ?::json) h JOIN card ON card.id = h.card_id
    )
    SELECT (SELECT array_agg(id ORDER BY id) FROM moves) AS ids, (SELECT points FROM updated) AS points, (SELECT points FROM card) AS before`,
  [w.cardId, w.alreadyOnCard ? w.alreadyOnCard.ledgerBalance : null, JSON.stringify(rows),
    delta, w.uid, at, !w.alreadyOnCard && delta !== 0, JSON.stringify(history)])).rows[0];
  if (out.before === null) throw missingCard(w);
  // Draws come after the moves are in: a redeem in the same write as an earn can take from its lot.
  for (const entry of w.entries) if (entry.points < 0) await drawFromLots(cr, w.cardId, -entry.points, entry, w.uid, at);
  return { cardId: w.cardId, balance: out.points ?? out.before, moveIds: out.ids ?? [], duplicate: false };
}

function missingCard(w: LedgerWrite): MissingError {
  return new MissingError(`Record does not exist or has been deleted.\n(Record: loyalty.card(${w.cardId},), User: ${w.uid ?? 1})`);
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

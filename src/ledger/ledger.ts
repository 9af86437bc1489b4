import { Knex } from 'knex';
import { MissingError, UserError } from '../errors';
import { InsufficientPoints } from './errors';
import { expireCardLots } from './expire';
import { odooDatetime } from './time';
import { outboxInsert } from '../events/outbox';
import { movesJson, pointsMovedSelect } from '../events/points';
import { HARD_MAX_POINTS, LedgerEntry, LedgerResult, LedgerWrite } from './types';

/** Below this a difference of points is float noise (loyalty_card.points is a double). */
export const EPSILON = 1e-6;

/**
 * The one way points change: locks the card row, writes the moves, keeps the lots, updates
 * loyalty_card.points by the same amount and adds the history line, all in the caller's
 * transaction. So loyalty_card.points = sum(moves) holds after every commit, and two
 * writers on one card run one after the other.
 */
export async function writeLedger(cr: Knex, w: LedgerWrite): Promise<LedgerResult> {
  checkEntries(w);
  // A write that checks nothing first (no idempotency key, no funds to check) locks the card
  // in the statement that writes: one round trip. The others lock and check first.
  const checked = !!w.idempotencyKey || !!w.requireFunds;
  let cardPoints: number | null = null;
  if (checked) {
    const card = (await cr.raw('SELECT id, points FROM loyalty_card WHERE id = ? FOR NO KEY UPDATE', [w.cardId])).rows[0] as
      | { id: number; points: number | null }
      | undefined;
    if (!card) throw missingCard(w);
    cardPoints = card.points ?? 0;
  }
  const firstKey = moveKeys(w)[0];
  if (firstKey) {
    const seen = (await cr.raw('SELECT 1 FROM loyalty_point_move WHERE idempotency_key = ?', [firstKey])).rows.length > 0;
    if (seen) return { cardId: w.cardId, balance: cardPoints!, moveIds: [], duplicate: true };
  }
  if (w.requireFunds && (await expireCardLots(cr, w.cardId, w.now, w.uid)) > 0) {
    cardPoints = (await cr.raw('SELECT points FROM loyalty_card WHERE id = ?', [w.cardId])).rows[0].points ?? 0;
  }
  const delta = writeDelta(w);
  if (w.requireFunds && cardPoints! + delta < -EPSILON) throw new InsufficientPoints(w.cardId, cardPoints!, -delta);

  const [out] = await writeMoves(cr, [w]);
  // Draws come after the moves are in: a redeem in the same write as an earn can take from its lot.
  const at = odooDatetime(w.now);
  for (const entry of w.entries) if (entry.points < 0) await drawFromLots(cr, w.cardId, -entry.points, entry, w.uid, at);
  return out;
}

/**
 * The statement every ledger write ends in: for each write, its moves (with their lots), its
 * card's points and its history line, for all the writes in one round trip. A batch of orders
 * sends all its earns at once. The writes need no check (writeLedger made them) and draw
 * from no lot (no negative entry: writeLedger draws after); each names another card, all with
 * one uid and instant. Cards are locked in id order, so two batches cannot deadlock; moves
 * and history lines go in in the writes' order.
 */
export async function writeMoves(cr: Knex, writes: LedgerWrite[]): Promise<LedgerResult[]> {
  if (!writes.length) return [];
  writes.forEach(checkEntries);
  if (new Set(writes.map((w) => w.cardId)).size !== writes.length) throw new Error('writeMoves: one write per card');
  const { uid, now } = writes[0];
  if (writes.some((w) => w.uid !== uid || w.now.getTime() !== now.getTime())) throw new Error('writeMoves: one uid and instant per call');
  const at = odooDatetime(now);
  const cards = writes.map((w, wi) => {
    const keys = moveKeys(w);
    const delta = writeDelta(w);
    return {
      wi,
      card_id: w.cardId,
      // The ledger's own sum when the card already holds the change (reconciliation).
      base: w.alreadyOnCard ? w.alreadyOnCard.ledgerBalance : null,
      delta,
      touch: !w.alreadyOnCard && delta !== 0,
      origin: { reason: w.origin.reason ?? null, reference: w.origin.reference ?? null, pos_order_id: w.origin.posOrderId ?? null },
      moves: w.entries.map((entry, i) => ({
        ord: i,
        kind: entry.kind,
        points: entry.points,
        expiration_date: entry.points > 0 ? entry.expirationDate ?? null : null,
        lot_id: entry.drawFirst?.lotId ?? null,
        pos_order_id: w.origin.posOrderId ?? null,
        reference: w.origin.reference ?? null,
        reason: w.origin.reason ?? null,
        idempotency_key: keys[i],
      })),
      history: {
        description: w.origin.description,
        issued: w.entries.filter((e) => e.points > 0).reduce((t, e) => t + e.points, 0),
        used: w.entries.filter((e) => e.points < 0).reduce((t, e) => t - e.points, 0),
        order_model: w.origin.orderModel ?? (w.origin.posOrderId ? 'pos.order' : null),
        order_id: w.origin.orderId ?? w.origin.posOrderId ?? null,
      },
    };
  });
  // Moves, cards and history in one statement. A lot holds what its entry adds above zero,
  // counting from the balance before the write (the ledger's own sum when the card already
  // holds the change): points that pay back a negative balance are gone.
  // LEAST(p, running after) is p when the balance before is >= 0.
  const rows = (await cr.raw(`
    WITH w AS (
      SELECT * FROM json_to_recordset(?::json) AS w(wi int, card_id int, base float8, delta float8, touch boolean, origin json, moves json, history json)
    ), card AS (
      SELECT c.id, COALESCE(c.points, 0) AS points, c.company_id, c.program_id, c.partner_id FROM loyalty_card c
       WHERE c.id IN (SELECT card_id FROM w) ORDER BY c.id FOR NO KEY UPDATE
    ), entries AS (
      SELECT e.*, w.wi, w.card_id, COALESCE(w.base, card.points) + SUM(e.points) OVER (PARTITION BY w.card_id ORDER BY e.ord ROWS UNBOUNDED PRECEDING) AS running_after,
             card.company_id AS card_company_id
        FROM w JOIN card ON card.id = w.card_id,
             json_to_recordset(w.moves) AS e(ord int, kind varchar, points float8, expiration_date date, lot_id int,
             pos_order_id int, reference varchar, reason varchar, idempotency_key varchar)
    ), moves AS (
      INSERT INTO loyalty_point_move (${MOVE_COLUMNS})
      SELECT card_id, kind, points, CASE WHEN points > 0 THEN GREATEST(LEAST(points, running_after), 0) ELSE 0 END,
             expiration_date, lot_id, pos_order_id, reference, reason, idempotency_key, card_company_id, ?, ?, ?, ?
        FROM entries ORDER BY wi, ord
      RETURNING id, card_id, kind, points
    ), updated AS (
      -- Joined to card: the locks above are taken before this update runs.
      UPDATE loyalty_card c SET points = COALESCE(c.points, 0) + w.delta, write_uid = COALESCE(?, c.write_uid), write_date = ?
        FROM w JOIN card ON card.id = w.card_id
       WHERE c.id = w.card_id AND w.touch RETURNING c.id, c.points
    ), history AS (
      INSERT INTO loyalty_point_history (${HISTORY_COLUMNS})
      SELECT w.card_id, card.company_id, h.description, h.issued, h.used, h.order_model, h.order_id, ?, ?, ?, ?
        FROM w JOIN card ON card.id = w.card_id, json_to_record(w.history) AS h(description text, issued float8, used float8, order_model varchar, order_id int)
       ORDER BY w.wi
    ), events AS (
      ${outboxInsert(cr, pointsMovedSelect(`
        SELECT card.id AS card_id, card.program_id, card.partner_id, COALESCE(u.points, card.points) AS balance, w.delta,
               ${movesJson('moves', 'card.id')} AS moves,
               w.origin->>'reason' AS reason, w.origin->>'reference' AS reference, (w.origin->>'pos_order_id')::int AS pos_order_id
          FROM w JOIN card ON card.id = w.card_id LEFT JOIN updated u ON u.id = card.id ORDER BY w.wi`))}
    )
    SELECT card.id, card.points AS before, u.points,
           (SELECT array_agg(m.id ORDER BY m.id) FROM moves m WHERE m.card_id = card.id) AS ids
      FROM card LEFT JOIN updated u ON u.id = card.id`,
  [JSON.stringify(cards), uid, at, uid, at, uid, at, uid, at, uid, at])).rows as Array<{ id: number; before: number; points: number | null; ids: number[] | null }>;
  const byCard = new Map(rows.map((r) => [r.id, r]));
  return writes.map((w) => {
    const out = byCard.get(w.cardId);
    if (!out) throw missingCard(w);
    return { cardId: w.cardId, balance: out.points ?? out.before, moveIds: out.ids ?? [], duplicate: false };
  });
}

/**
 * Every entry's points are finite and within the write's limit: a number out of bounds is
 * refused before anything is written (floats beyond it would break points = sum(moves)).
 */
function checkEntries(w: LedgerWrite): void {
  const limit = Math.min(w.maxPoints ?? HARD_MAX_POINTS, HARD_MAX_POINTS);
  for (const e of w.entries) {
    if (!Number.isFinite(e.points) || Math.abs(e.points) > limit) {
      throw new UserError(`The points of this change (${e.points}) are beyond the limit of ${limit} points for one change of card ${w.cardId}.`);
    }
  }
}

/** Each move's idempotency key: the write's key and the entry's place (the first one marks the write as done). */
const moveKeys = (w: LedgerWrite): Array<string | null> => w.entries.map((_, i) => (w.idempotencyKey ? `${w.idempotencyKey}:${i}` : null));

/** What the write changes on the card. */
const writeDelta = (w: LedgerWrite): number => w.entries.reduce((s, e) => s + e.points, 0);

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

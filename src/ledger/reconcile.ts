import { Knex } from 'knex';
import { log } from '../log';
import { EPSILON, writeLedger } from './ledger';
import { odooDatetime } from './time';

export interface ReconcileOutcome {
  /** Cards that held points and had no move yet (attaching to a database, cards Odoo created). */
  opened: number;
  /** Cards whose points Odoo changed behind the sidecar's back. */
  adjusted: Array<{ cardId: number; points: number }>;
}

/**
 * Brings the ledger in line with loyalty_card.points. A card with points and no move gets
 * its opening move (set-based: attaching to a large database writes them in one statement);
 * a card whose points differ from its moves was changed by Odoo (a manual edit, an Odoo POS
 * without the bridge): the difference becomes an adjust move, logged. The card keeps its points.
 */
export async function reconcileCards(db: Knex, opts: { uid: number | null; now: Date }): Promise<ReconcileOutcome> {
  const at = odooDatetime(opts.now);
  const opened = await db.raw(`
    WITH opened AS (
      INSERT INTO loyalty_point_move (card_id, kind, points, remaining, company_id, create_uid, create_date, write_uid, write_date, reason)
      SELECT c.id, 'opening', c.points, GREATEST(c.points, 0), c.company_id, ?::int, ?, ?::int, ?, 'balance when the ledger started'
        FROM loyalty_card c
       WHERE COALESCE(c.points, 0) <> 0
         AND NOT EXISTS (SELECT 1 FROM loyalty_point_move m WHERE m.card_id = c.id)
      RETURNING card_id, points, company_id
    )
    INSERT INTO loyalty_point_history (card_id, company_id, description, issued, used, create_uid, create_date, write_uid, write_date)
    SELECT card_id, company_id, 'Opening balance', GREATEST(points, 0), GREATEST(-points, 0), ?::int, ?, ?::int, ? FROM opened`,
  [opts.uid, at, opts.uid, at, opts.uid, at, opts.uid, at]);

  const drifted = (await db.raw(`
    SELECT c.id FROM loyalty_card c JOIN loyalty_point_move m ON m.card_id = c.id
     GROUP BY c.id, c.points HAVING abs(COALESCE(c.points, 0) - SUM(m.points)) > ? ORDER BY c.id`, [EPSILON])).rows as Array<{ id: number }>;
  // One card after the other in ascending id: the global lock order (orders/cards.ts lockOrderCards).
  const adjusted: ReconcileOutcome['adjusted'] = [];
  for (const { id } of drifted) {
    const diff = await recordOutsideChange(db, id, opts);
    if (diff !== 0) adjusted.push({ cardId: id, points: diff });
  }
  return { opened: opened.rowCount ?? 0, adjusted };
}

/**
 * Records what a card's points changed by outside the ledger as one adjust move (a card with
 * no move yet gets its whole balance), under the card's lock. Returns the difference (0 when
 * the card is in step). Used by the sweep's reconciliation and, at once, by writes to
 * loyalty.card.points through execute_kw (src/models/loyalty-card-ledger.ts).
 */
export async function recordOutsideChange(db: Knex, cardId: number, opts: { uid: number | null; now: Date; maxPoints?: number }): Promise<number> {
  // Read under the card's lock: a sidecar write may be committing meanwhile.
  const row = (await db.raw(`
    SELECT COALESCE(c.points, 0) AS points, (SELECT COALESCE(SUM(points), 0) FROM loyalty_point_move WHERE card_id = c.id) AS ledger
      FROM loyalty_card c WHERE c.id = ? FOR NO KEY UPDATE`, [cardId])).rows[0] as { points: number; ledger: number } | undefined;
  if (!row) return 0;
  const diff = row.points - row.ledger;
  if (Math.abs(diff) <= EPSILON) return 0;
  await writeLedger(db, {
    cardId,
    entries: [{ kind: 'adjust', points: diff }],
    origin: { description: 'Adjustment: points changed outside the sidecar', reason: 'reconciliation' },
    uid: opts.uid,
    now: opts.now,
    alreadyOnCard: { ledgerBalance: row.ledger },
    maxPoints: opts.maxPoints,
  });
  log.warn('ledger: card points changed outside the ledger, recorded as an adjust move', { card_id: cardId, card_points: row.points, ledger: row.ledger, adjust: diff });
  return diff;
}

import { Knex } from 'knex';

export interface LedgerDiscrepancy {
  id: number;
  points: number;
  moves: number;
  lots: number;
}

/**
 * Cards that break the ledger's two invariants: loyalty_card.points = sum of the card's moves,
 * and the card's open lots hold exactly the positive part of that balance (what can still be
 * spent or expire). Empty when all is well.
 */
export async function ledgerDiscrepancies(db: Knex): Promise<LedgerDiscrepancy[]> {
  return (await db.raw(`
    SELECT c.id, COALESCE(c.points, 0) AS points, COALESCE(SUM(m.points), 0)::float8 AS moves,
           COALESCE(SUM(m.remaining), 0)::float8 AS lots
      FROM loyalty_card c LEFT JOIN loyalty_point_move m ON m.card_id = c.id
     GROUP BY c.id, c.points
    HAVING abs(COALESCE(c.points, 0) - COALESCE(SUM(m.points), 0)) > 1e-6
        OR abs(GREATEST(COALESCE(c.points, 0), 0) - COALESCE(SUM(m.remaining), 0)) > 1e-6`)).rows;
}

import { Knex } from 'knex';

/**
 * Recomputes promotion_result (a materialized view, migration 0220) from promotion_result_live.
 * CONCURRENTLY: readers keep reading the previous rows meanwhile (it needs the unique index on
 * id). Its refreshed_at column is the moment of this refresh, for every row. Answers null when
 * the view does not exist (a database without the POS tables the views read).
 */
export async function refreshPromotionResult(db: Knex): Promise<{ rows: number; refreshed_at: string } | null> {
  if (!(await db.raw(`select to_regclass('promotion_result') as t`)).rows[0].t) return null;
  await db.raw('refresh materialized view concurrently promotion_result');
  const row = (await db.raw(`select count(*)::int as rows, to_char(max(refreshed_at), 'YYYY-MM-DD HH24:MI:SS') as refreshed_at from promotion_result`)).rows[0];
  return { rows: row.rows, refreshed_at: row.refreshed_at };
}

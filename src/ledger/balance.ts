import { Knex } from 'knex';
import { MissingError } from '../errors';
import { odooDate } from './time';

export interface CardBalance {
  card_id: number;
  program_id: number | null;
  partner_id: number | null;
  code: string;
  points: number;
  /** The next lots to expire: their last valid day and what is left of them; null when none expire. */
  next_expiry: { date: string; points: number } | null;
  history: Array<{ id: number; date: string; description: string; issued: number; used: number; order_model: string | null; order_id: number | null }>;
}

/** A card's points, its next expiry as of `now`, and its latest history lines. */
export async function cardBalance(db: Knex, cardId: number, now: Date, historyLimit = 20): Promise<CardBalance> {
  const card = await db('loyalty_card').where({ id: cardId }).first('id', 'program_id', 'partner_id', 'code', 'points');
  if (!card) throw new MissingError(`Record does not exist or has been deleted.\n(Record: loyalty.card(${cardId},), User: 1)`);
  const expiry = (await db.raw(`
    SELECT expiration_date::text AS date, SUM(remaining)::float8 AS points FROM loyalty_point_move
     WHERE card_id = ? AND remaining > 0 AND expiration_date >= ?::date
     GROUP BY expiration_date ORDER BY expiration_date LIMIT 1`, [cardId, odooDate(now)])).rows[0];
  const history = await db('loyalty_point_history').where({ card_id: cardId }).orderBy('id', 'desc').limit(historyLimit)
    .select('id', db.raw(`to_char(create_date, 'YYYY-MM-DD HH24:MI:SS') AS date`), 'description', 'issued', 'used', 'order_model', 'order_id');
  return {
    card_id: card.id,
    program_id: card.program_id,
    partner_id: card.partner_id,
    code: card.code,
    points: card.points ?? 0,
    next_expiry: expiry ? { date: expiry.date, points: expiry.points } : null,
    history,
  };
}

import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { odooDatetime } from '../ledger/time';

/** Programs whose cards belong to a customer: one card per partner, reused by every order. */
export const NOMINATIVE_TYPES = new Set(['loyalty', 'ewallet']);

/** A new card code in Odoo 17's format ('044' and eleven characters of a random UUID: 044x-xxxx-xxxx). */
export function newCardCode(): string {
  return '044' + randomUUID().slice(7, 18);
}

export interface NewCard {
  programId: number;
  companyId: number | null;
  partnerId: number | null;
  sourcePosOrderId: number | null;
  uid: number | null;
  now: Date;
}

/** Creates a card at 0 points (the ledger then gives it its points) and returns its id. */
export async function createCard(cr: Knex, card: NewCard): Promise<number> {
  const at = odooDatetime(card.now);
  const [row] = await cr('loyalty_card').insert({
    program_id: card.programId,
    company_id: card.companyId,
    partner_id: card.partnerId,
    code: newCardCode(),
    points: 0,
    source_pos_order_id: card.sourcePosOrderId,
    create_uid: card.uid,
    create_date: at,
    write_uid: card.uid,
    write_date: at,
  }, ['id']);
  return row.id;
}

/** The partner's card for a nominative program, if it has one (Odoo keeps one per partner and program). */
export async function partnerCard(cr: Knex, programId: number, partnerId: number): Promise<number | null> {
  const row = await cr('loyalty_card').where({ program_id: programId, partner_id: partnerId }).orderBy('id').first('id');
  return row?.id ?? null;
}

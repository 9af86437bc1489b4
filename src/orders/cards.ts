import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { odooDatetime } from '../ledger/time';
import { SoldOrder } from './types';
import { cardCreatedEvents } from '../events/cards';
import { emitEvents } from '../events/outbox';

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

/** Creates cards at 0 points (the ledger then gives them their points), in one statement; answers their ids in order. */
export async function createCards(cr: Knex, cards: NewCard[]): Promise<number[]> {
  if (!cards.length) return [];
  const codes = cards.map(() => newCardCode());
  const rows = (await cr.raw(`
    INSERT INTO loyalty_card (program_id, company_id, partner_id, code, points, source_pos_order_id, create_uid, create_date, write_uid, write_date)
    SELECT c.program_id, c.company_id, c.partner_id, c.code, 0, c.source_pos_order_id, c.uid, c.at, c.uid, c.at
      FROM json_to_recordset(?::json) AS c(program_id int, company_id int, partner_id int, code varchar, source_pos_order_id int, uid int, at timestamp, i int)
     ORDER BY c.i
    RETURNING id, code`,
  [JSON.stringify(cards.map((c, i) => ({
    i, program_id: c.programId, company_id: c.companyId, partner_id: c.partnerId, code: codes[i],
    source_pos_order_id: c.sourcePosOrderId, uid: c.uid, at: odooDatetime(c.now),
  })))])).rows as Array<{ id: number; code: string }>;
  const idOf = new Map(rows.map((r) => [r.code, r.id]));
  await emitEvents(cr, cardCreatedEvents(cards.map((c, i) => ({ id: idOf.get(codes[i])!, program_id: c.programId, partner_id: c.partnerId, code: codes[i] }))));
  return codes.map((code) => idOf.get(code)!);
}

/**
 * The partners' cards for nominative programs, where they have one (Odoo keeps one per partner
 * and program). Two orders of one new customer must not open two cards: the (program, partner)
 * pairs are locked first (in a fixed order: no deadlock), and read after the locks are held.
 */
export async function lockPartnerCards(cr: Knex, wanted: Array<{ programId: number; partnerId: number }>): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!wanted.length) return out;
  const keys = [...new Set(wanted.map((w) => `loyalty_card:${w.programId}:${w.partnerId}`))].sort();
  await cr.raw('SELECT pg_advisory_xact_lock(hashtext(k)) FROM (SELECT unnest(?::text[]) AS k ORDER BY 1) k', [keys]);
  const rows = (await cr.raw(`
    SELECT DISTINCT ON (c.program_id, c.partner_id) c.program_id, c.partner_id, c.id FROM loyalty_card c
      JOIN unnest(?::int[], ?::int[]) w(program_id, partner_id) ON c.program_id = w.program_id AND c.partner_id = w.partner_id
     ORDER BY c.program_id, c.partner_id, c.id`,
  [wanted.map((w) => w.programId), wanted.map((w) => w.partnerId)])).rows as Array<{ program_id: number; partner_id: number; id: number }>;
  for (const r of rows) out.set(`${r.program_id}:${r.partner_id}`, r.id);
  return out;
}

/**
 * The one global lock order of cards: ascending id, all of a transaction's cards at once, first.
 * This locks every existing card a batch of orders may write: the cards the engine reads for
 * them (their partners', their codes', those their lines name), for refunds, the cards
 * their original orders moved, and the cards of the referrers their customers named. Held to
 * the commit, so the ledger's later locks are on rows the transaction holds (or on cards it
 * created): two transactions never wait on each other in opposite orders. The other paths lock one card at a time (a REST redeem, an expiry, a
 * reconciliation), and those that go over several do it in ascending id. FOR NO KEY UPDATE, the
 * lock an update of the points takes: writers of a card queue on it, while a POS order whose
 * new lines point at the card (a foreign key's KEY SHARE lock, in whatever order its lines
 * come) is neither blocked by it nor blocks it.
 */
export async function lockOrderCards(
  cr: Knex, orders: SoldOrder[], { moreCards = [], referrers = [] }: { moreCards?: number[]; referrers?: number[] } = {},
): Promise<void> {
  if (!orders.length && !moreCards.length) return;
  // Cards Odoo's own confirm_coupon_programs created for these orders (cardsOdooCreated) are the orders' too.
  const posOrders = orders.map((o) => o.posOrderId).filter((id): id is number => id !== null);
  const partners = [...new Set(orders.map((o) => o.partnerId).filter((p): p is number => p !== null))];
  const codes = [...new Set(orders.flatMap((o) => o.codes))];
  const named = [...new Set(orders.flatMap((o) => o.lines.map((l) => l.couponId)).filter((c): c is number => c !== null && c > 0))];
  const refunded = [...new Set(orders.flatMap((o) => o.lines.map((l) => l.refundedOrderlineId)).filter((l): l is number => l !== null))];
  await cr.raw(`
    SELECT id FROM loyalty_card WHERE id IN (
      SELECT id FROM loyalty_card WHERE partner_id = ANY(?::int[]) OR code = ANY(?::text[]) OR id = ANY(?::int[]) OR source_pos_order_id = ANY(?::int[])
      UNION
      SELECT m.card_id FROM loyalty_point_move m
       WHERE m.pos_order_id IN (SELECT order_id FROM pos_order_line WHERE id = ANY(?::int[]))
      UNION
      -- The referrers' cards in referral programs, which a first order may reward (referral.ts):
      -- those the POS orders' codes name, and the referrers the caller found (external orders).
      SELECT c.id FROM loyalty_card c JOIN loyalty_program p ON p.id = c.program_id AND p.referral_points > 0
       WHERE c.partner_id = ANY(?::int[])
          OR c.partner_id IN (SELECT r.id FROM pos_order o JOIN res_partner r ON r.referral_code = o.referral_code_used WHERE o.id = ANY(?::int[])))
     ORDER BY id FOR NO KEY UPDATE`,
  [partners, codes, [...named, ...moreCards], posOrders, refunded, referrers, posOrders]);
}

/**
 * Cards Odoo's own confirm_coupon_programs created for these orders (source_pos_order_id) that
 * the ledger has not seen (no move): the bridge addon let Odoo answer the till while the
 * sidecar was unreachable, and the customer holds those codes. Keyed "order:program", in id order.
 */
export async function cardsOdooCreated(cr: Knex, posOrderIds: number[]): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  if (!posOrderIds.length) return out;
  const rows = (await cr.raw(`
    SELECT c.id, c.program_id, c.source_pos_order_id FROM loyalty_card c
     WHERE c.source_pos_order_id = ANY(?) AND NOT EXISTS (SELECT 1 FROM loyalty_point_move m WHERE m.card_id = c.id)
     ORDER BY c.id FOR NO KEY UPDATE`, [posOrderIds])).rows as Array<{ id: number; program_id: number; source_pos_order_id: number }>;
  for (const r of rows) {
    const key = `${r.source_pos_order_id}:${r.program_id}`;
    out.set(key, [...(out.get(key) ?? []), r.id]);
  }
  return out;
}

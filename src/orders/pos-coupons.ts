import { Knex } from 'knex';
import { AppContext } from '../context';
import { log } from '../log';
import { odooDate } from '../ledger/time';
import { processPosOrder } from './process-pos-order';

/** What the till says about one card in confirm_coupon_programs: its key is the card id, or negative for a new one. */
export interface TillCoupon {
  points?: number;
  program_id?: number;
  coupon_id?: number;
  barcode?: string | false;
  partner_id?: number | false;
  date_to?: string | false;
  line_codes?: string[];
  giftCardId?: number;
}

/** A card's points the till may spend now: its balance less the lots past their last day. */
export async function spendablePoints(cr: Knex, cardIds: number[], now: Date): Promise<Map<number, { points: number; spendable: number; code: string }>> {
  const rows = (await cr.raw(`
    SELECT c.id, c.code, COALESCE(c.points, 0) AS points,
           COALESCE(c.points, 0) - COALESCE((SELECT SUM(remaining) FROM loyalty_point_move m
                                              WHERE m.card_id = c.id AND m.remaining > 0 AND m.expiration_date < ?::date), 0)::float8 AS spendable
      FROM loyalty_card c JOIN loyalty_program p ON p.id = c.program_id
     WHERE c.id = ANY(?) AND p.active ORDER BY c.id`, [odooDate(now), cardIds])).rows as Array<{ id: number; code: string; points: number; spendable: number }>;
  return new Map(rows.map((r) => [r.id, r]));
}

export interface ConfirmAnswer {
  coupon_updates: Array<{ old_id: number; id: number; points: number; code: string; program_id: number; partner_id: number | false }>;
  program_updates: Array<{ program_id: number; usages: number }>;
  new_coupon_info: Array<{ program_name: string; expiration_date: string | false; code: string }>;
  coupon_report: Record<string, number[]>;
}

/**
 * confirm_coupon_programs made server-authoritative: the order's points are computed by the
 * engine and applied through the ledger, once (processPosOrder); the till's coupon_data only
 * names what it expected (logged when it differs), the codes it printed on new cards (barcode),
 * their validity (date_to) and which reward lines belong to which card (line_codes).
 * The answer has Odoo 17's shape, read from the cards as they now are.
 */
export async function confirmCouponPrograms(cr: Knex, orderId: number, till: Map<number, TillCoupon>, opts: { uid: number; now: Date; app: AppContext }): Promise<ConfirmAnswer> {
  // Odoo maps a new nominative card the till invented onto the partner's existing one.
  for (const [key, vals] of [...till]) {
    if (key >= 0 || !vals.partner_id || !vals.program_id) continue;
    const existing = (await cr.raw(`
      SELECT c.id FROM loyalty_card c JOIN loyalty_program p ON p.id = c.program_id
       WHERE c.partner_id = ? AND c.program_id = ? AND p.program_type = 'loyalty' ORDER BY c.id LIMIT 1`, [vals.partner_id, vals.program_id])).rows[0];
    if (existing) {
      till.delete(key);
      till.set(existing.id, { ...vals, coupon_id: existing.id });
    }
  }
  const outcome = await processPosOrder(cr, orderId, { source: 'pos', uid: opts.uid, now: opts.now, app: opts.app });
  const cards = (outcome.result?.cards ?? []).slice();

  // New cards: the engine created them; give them the till's printed code and validity, in order per program.
  const created = cards.filter((c) => c.created);
  const keyOf = new Map<number, number>();
  for (const [key, vals] of till) {
    if (key >= 0) {
      keyOf.set(key, key);
      continue;
    }
    const card = created.find((c) => c.program_id === vals.program_id && ![...keyOf.values()].includes(c.card_id));
    if (!card) continue;
    keyOf.set(card.card_id, key);
    const barcode = vals.barcode || null;
    const clash = barcode ? await cr('loyalty_card').where({ code: barcode }).first('id') : null;
    await cr('loyalty_card').where({ id: card.card_id }).update({
      ...(barcode && !clash ? { code: barcode } : {}),
      ...(vals.date_to ? { expiration_date: vals.date_to } : {}),
    });
  }
  for (const [cardId, key] of keyOf) {
    for (const code of till.get(key)?.line_codes ?? []) {
      await cr('pos_order_line').where({ order_id: orderId, reward_identifier_code: code }).whereNull('coupon_id').update({ coupon_id: cardId });
    }
  }
  logDisagreements(orderId, till, keyOf, cards);

  const ids = [...new Set([...[...till.keys()].filter((k) => k > 0), ...cards.map((c) => c.card_id)])];
  const rows = ids.length ? (await cr.raw(`
    SELECT c.id, COALESCE(c.points, 0) AS points, c.code, c.program_id, c.partner_id, c.expiration_date::text AS expiration_date,
           p.program_type, p.applies_on, COALESCE(p.name->>'en_US', '') AS program_name
      FROM loyalty_card c JOIN loyalty_program p ON p.id = c.program_id WHERE c.id = ANY(?)`, [ids])).rows : [];
  const byId = new Map(rows.map((r: { id: number }) => [r.id, r]));
  const ordered = ids.map((id) => byId.get(id)).filter(Boolean) as Array<{
    id: number; points: number; code: string; program_id: number; partner_id: number | null; expiration_date: string | null;
    program_type: string; applies_on: string; program_name: string;
  }>;
  const isNominative = (r: { program_type: string; applies_on: string }) =>
    r.applies_on === 'both' || (r.program_type === 'ewallet' && r.applies_on === 'future');
  const programIds = [...new Set(ordered.map((r) => r.program_id))];
  const createdIds = new Set(created.map((c) => c.card_id));
  // One transaction is one connection: its queries run one after the other.
  const programUpdates = [];
  for (const id of programIds) programUpdates.push({ program_id: id, usages: await programUsages(cr, id) });
  return {
    coupon_updates: ordered.filter(isNominative).map((r) => ({
      old_id: keyOf.get(r.id) ?? r.id, id: r.id, points: r.points, code: r.code, program_id: r.program_id, partner_id: r.partner_id ?? false,
    })),
    program_updates: programUpdates,
    new_coupon_info: ordered
      .filter((r) => createdIds.has(r.id) && r.applies_on === 'future' && !['gift_card', 'ewallet'].includes(r.program_type))
      .map((r) => ({ program_name: r.program_name, expiration_date: r.expiration_date ?? false, code: r.code })),
    coupon_report: {},
  };
}

/** loyalty.program total_order_count in Odoo 17: POS orders per reward (summed) plus sale orders with any of its rewards. */
export async function programUsages(cr: Knex, programId: number): Promise<number> {
  const pos = (await cr.raw(`
    SELECT COALESCE(SUM(n), 0)::int AS n FROM (
      SELECT COUNT(DISTINCT l.order_id) AS n FROM loyalty_reward r JOIN pos_order_line l ON l.reward_id = r.id
       WHERE r.program_id = ? AND r.active GROUP BY r.id) x`, [programId])).rows[0].n as number;
  const hasSale = (await cr.raw(`SELECT to_regclass('sale_order_line') IS NOT NULL AS ok`)).rows[0].ok;
  const sale = hasSale ? (await cr.raw(`
    SELECT COUNT(DISTINCT l.order_id)::int AS n FROM sale_order_line l JOIN loyalty_reward r ON r.id = l.reward_id
     WHERE r.program_id = ? AND r.active`, [programId])).rows[0].n as number : 0;
  return pos + sale;
}

function logDisagreements(orderId: number, till: Map<number, TillCoupon>, keyOf: Map<number, number>, cards: Array<{ card_id: number; won: number; spent: number }>): void {
  const engineByKey = new Map(cards.map((c) => [keyOf.get(c.card_id) ?? c.card_id, c.won - c.spent]));
  for (const key of new Set([...till.keys(), ...engineByKey.keys()])) {
    const a = till.get(key)?.points ?? 0;
    const b = engineByKey.get(key) ?? 0;
    if (Math.abs(a - b) > 0.005) log.warn('till and engine disagree on a card\'s points: the engine wins', { pos_order_id: orderId, card: key, till: a, engine: b });
  }
}

import { Knex } from 'knex';
import { writeLedger } from '../ledger/ledger';
import { addDays } from '../ledger/time';
import { LedgerEntry, roundPoints } from '../ledger/types';
import { metrics } from '../metrics/registry';
import { createCard, NOMINATIVE_TYPES, partnerCard } from './cards';
import { AppliedCard, PointsRow, SoldOrder } from './types';

/** What applying needs to know of a program (claimPosOrder reads it for the active ones with the order). */
export interface ProgramInfo {
  id: number;
  program_type: string;
  applies_on: string;
  company_id: number | null;
  points_validity_days: number | null;
}

export const PROGRAM_INFO_COLUMNS = ['id', 'program_type', 'applies_on', 'company_id', 'points_validity_days'];

export interface ApplyContext {
  uid: number | null;
  now: Date;
  description: string;
}

/**
 * Applies what the engine computed for a sold order: creates the cards it needs (nominative
 * programs reuse the partner's card), writes each card's earn and redeem moves (earned points
 * form a lot valid for the program's points_validity_days from the order date) and links the
 * order's reward lines to their cards, as Odoo's confirm_coupon_programs does.
 */
export async function applyOrderPoints(cr: Knex, order: SoldOrder, rows: PointsRow[], ctx: ApplyContext, known?: Map<number, ProgramInfo>): Promise<AppliedCard[]> {
  const programs = new Map<number, ProgramInfo>(known);
  const missing = [...new Set(rows.map((r) => r.programId))].filter((id) => !programs.has(id));
  if (missing.length) {
    for (const p of await cr('loyalty_program').whereIn('id', missing).select(PROGRAM_INFO_COLUMNS)) programs.set(p.id, p);
  }
  const applied: AppliedCard[] = [];
  for (const row of rows) {
    const won = roundPoints(row.won);
    const spent = roundPoints(row.spent);
    const program = programs.get(row.programId)!;
    // Cards the engine only attached (nothing won or spent) are left alone.
    if (won === 0 && spent === 0) continue;
    let cardId = row.cardId;
    let created = false;
    if (cardId === null) {
      // A current-order program's points live only in the order: Odoo keeps a card for it
      // only when a reward was claimed with them.
      if (program.applies_on === 'current' && spent === 0) continue;
      const nominative = NOMINATIVE_TYPES.has(program.program_type) && order.partnerId !== null;
      if (nominative) {
        // Two orders of one new customer must not open two cards: serialise on (program, partner).
        await cr.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`loyalty_card:${program.id}:${order.partnerId}`]);
        cardId = await partnerCard(cr, program.id, order.partnerId!);
      }
      if (cardId === null) {
        cardId = await createCard(cr, {
          programId: program.id, companyId: program.company_id ?? order.companyId, partnerId: nominative ? order.partnerId : null,
          sourcePosOrderId: order.posOrderId, uid: ctx.uid, now: ctx.now,
        });
        created = true;
      }
    }
    const entries: LedgerEntry[] = [];
    if (won !== 0) {
      const validity = program.points_validity_days;
      entries.push({ kind: 'earn', points: won, expirationDate: validity ? addDays(order.dateOrder, validity) : null });
    }
    if (spent !== 0) entries.push({ kind: 'redeem', points: -spent });
    let balance = 0;
    if (entries.length) {
      const r = await writeLedger(cr, {
        cardId, entries, uid: ctx.uid, now: ctx.now,
        requireFunds: spent > 0 && !created,
        origin: { posOrderId: order.posOrderId, reference: order.reference, description: ctx.description },
      });
      balance = r.balance;
      metrics.pointsMoved.inc({ kind: 'earn' }, Math.abs(won));
      metrics.pointsMoved.inc({ kind: 'redeem' }, Math.abs(spent));
    } else {
      balance = (await cr('loyalty_card').where({ id: cardId }).first('points')).points ?? 0;
    }
    applied.push({ card_id: cardId, program_id: program.id, won, spent, balance, created });
  }
  if (order.posOrderId !== null && order.lines.some((l) => l.isRewardLine && l.couponId === null)) await linkRewardLines(cr, order.posOrderId, applied);
  return applied;
}

/** Reward lines without a card get the card of their reward's program that this order used. */
async function linkRewardLines(cr: Knex, posOrderId: number, cards: AppliedCard[]): Promise<void> {
  for (const card of cards) {
    await cr.raw(`
      UPDATE pos_order_line l SET coupon_id = ?
        FROM loyalty_reward rw
       WHERE l.order_id = ? AND l.is_reward_line AND l.coupon_id IS NULL
         AND rw.id = l.reward_id AND rw.program_id = ?`, [card.card_id, posOrderId, card.program_id]);
  }
}

import { Knex } from 'knex';
import { writeLedger, writeMoves } from '../ledger/ledger';
import { addDays } from '../ledger/time';
import { LedgerEntry, LedgerWrite, roundPoints } from '../ledger/types';
import { metrics } from '../metrics/registry';
import { AppContext } from '../context';
import { requireRecords, SUPERUSER_ID, userEnv } from '../orm/access-path';
import { cardsOdooCreated, createCards, lockPartnerCards, NOMINATIVE_TYPES } from './cards';
import { AppliedCard, PointsRow, SoldOrder } from './types';

/** What applying needs to know of a program (claimPosOrders reads it for the active ones with the order). */
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
  /**
   * The running service: with it, the cards written must pass user `uid`'s access rights and
   * record rules for writing (orm/access-path.ts), and every entry its points limit.
   */
  app?: AppContext;
}

/** The cards a write path is about to change pass the user's write access (the one access path). */
export async function checkCardWrites(cr: Knex, ctx: Pick<ApplyContext, 'uid' | 'app'>, cardIds: number[]): Promise<void> {
  // The superuser (hooks and jobs by default) passes every check, as Odoo's env.su: no query.
  if (!ctx.app || !cardIds.length || ctx.uid === null || ctx.uid === SUPERUSER_ID) return;
  await requireRecords(userEnv(ctx.app, cr, ctx.uid), 'loyalty.card', 'write', cardIds);
}

/**
 * Applies what the engine computed for a sold order: creates the cards it needs (nominative
 * programs reuse the partner's card), writes each card's earn and redeem moves (earned points
 * form a lot valid for the program's points_validity_days from the order date) and links the
 * order's reward lines to their cards, as Odoo's confirm_coupon_programs does.
 */
export async function applyOrderPoints(cr: Knex, order: SoldOrder, rows: PointsRow[], ctx: ApplyContext, known?: Map<number, ProgramInfo>): Promise<AppliedCard[]> {
  return (await applyOrdersPoints(cr, [{ order, rows, ctx }], known))[0];
}

/**
 * applyOrderPoints for several orders (a batch): the same decisions order by order, then the
 * ledger writes that check nothing (earns) sent together, in as few statements as the cards
 * allow (a card written twice waits for the next statement), in the orders' sequence.
 */
export async function applyOrdersPoints(
  cr: Knex, items: Array<{ order: SoldOrder; rows: PointsRow[]; ctx: ApplyContext }>, known?: Map<number, ProgramInfo>,
): Promise<AppliedCard[][]> {
  const programs = new Map<number, ProgramInfo>(known);
  const missing = [...new Set(items.flatMap((it) => it.rows.map((r) => r.programId)))].filter((id) => !programs.has(id));
  if (missing.length) {
    for (const p of await cr('loyalty_program').whereIn('id', missing).select(PROGRAM_INFO_COLUMNS)) programs.set(p.id, p);
  }
  // What each row does, its card still unknown where the order opens one.
  const plans: Array<{ i: number; order: SoldOrder; ctx: ApplyContext; program: ProgramInfo; won: number; spent: number; cardId: number | null; nominative: boolean; created: boolean }> = [];
  for (const [i, { order, rows, ctx }] of items.entries()) {
    for (const row of rows) {
      const won = roundPoints(row.won);
      const spent = roundPoints(row.spent);
      const program = programs.get(row.programId)!;
      // Cards the engine only attached (nothing won or spent) are left alone.
      if (won === 0 && spent === 0) continue;
      // A current-order program's points live only in the order: Odoo keeps a card for it
      // only when a reward was claimed with them.
      if (row.cardId === null && program.applies_on === 'current' && spent === 0) continue;
      const nominative = NOMINATIVE_TYPES.has(program.program_type) && order.partnerId !== null;
      plans.push({ i, order, ctx, program, won, spent, cardId: row.cardId, nominative, created: false });
    }
  }
  await openCards(cr, plans);
  // Cards the orders open are theirs; the existing ones they change must be the user's to write
  // (a batch is one user's: one check for all its cards).
  if (items.length) await checkCardWrites(cr, items[0].ctx, plans.filter((p) => !p.created).map((p) => p.cardId!));

  const applied: AppliedCard[][] = items.map(() => []);
  const writes: Array<{ write: LedgerWrite; card: AppliedCard }> = [];
  for (const { i, order, ctx, program, won, spent, cardId, created } of plans) {
    const entries: LedgerEntry[] = [];
    if (won !== 0) {
      const validity = program.points_validity_days;
      entries.push({ kind: 'earn', points: won, expirationDate: validity ? addDays(order.dateOrder, validity) : null });
    }
    if (spent !== 0) entries.push({ kind: 'redeem', points: -spent });
    const card: AppliedCard = { card_id: cardId!, program_id: program.id, won, spent, balance: 0, created };
    applied[i].push(card);
    writes.push({
      card,
      write: {
        cardId: cardId!, entries, uid: ctx.uid, now: ctx.now,
        requireFunds: spent > 0 && !created,
        maxPoints: ctx.app?.config.limits.points,
        origin: { posOrderId: order.posOrderId, reference: order.reference, description: ctx.description },
      },
    });
  }
  await writeInSequence(cr, writes);
  for (const [i, { order }] of items.entries()) {
    if (order.posOrderId !== null && order.lines.some((l) => l.isRewardLine && l.couponId === null)) await linkRewardLines(cr, order.posOrderId, applied[i]);
  }
  return applied;
}

/**
 * Gives the rows without a card theirs: nominative programs reuse the partner's card (looked
 * up under a lock, all at once), the others get new cards (created together, in the rows'
 * order); a partner's second row of one program reuses the card its first opened.
 */
async function openCards(cr: Knex, plans: Array<{ order: SoldOrder; ctx: ApplyContext; program: ProgramInfo; cardId: number | null; nominative: boolean; created: boolean }>): Promise<void> {
  const open = plans.filter((p) => p.cardId === null);
  const keyOf = (p: (typeof open)[number]) => `${p.program.id}:${p.order.partnerId}`;
  const existing = await lockPartnerCards(cr, open.filter((p) => p.nominative).map((p) => ({ programId: p.program.id, partnerId: p.order.partnerId! })));
  for (const p of open) if (p.nominative) p.cardId = existing.get(keyOf(p)) ?? null;
  const opening = new Map<string, (typeof open)[number]>();
  const create = open.filter((p) => {
    if (p.cardId !== null || !p.nominative) return p.cardId === null;
    if (opening.has(keyOf(p))) return false;
    opening.set(keyOf(p), p);
    return true;
  });
  // Cards Odoo's own code already created for the order (the sidecar was unreachable) are its new cards.
  const adoptable = await cardsOdooCreated(cr, [...new Set(create.map((p) => p.order.posOrderId).filter((id): id is number => id !== null))]);
  for (const p of create) {
    const card = adoptable.get(`${p.order.posOrderId}:${p.program.id}`)?.shift();
    if (card !== undefined) { p.cardId = card; p.created = true; }
  }
  const creating = create.filter((p) => p.cardId === null);
  const ids = await createCards(cr, creating.map((p) => ({
    programId: p.program.id, companyId: p.program.company_id ?? p.order.companyId, partnerId: p.nominative ? p.order.partnerId : null,
    sourcePosOrderId: p.order.posOrderId, uid: p.ctx.uid, now: p.ctx.now,
  })));
  creating.forEach((p, k) => { p.cardId = ids[k]; p.created = true; });
  for (const p of open) if (p.cardId === null) p.cardId = opening.get(keyOf(p))!.cardId;
}

/**
 * The writes in their order: earns (nothing to check, nothing to draw) gather into one
 * writeMoves statement until a card repeats or a write needs writeLedger's checks.
 */
async function writeInSequence(cr: Knex, writes: Array<{ write: LedgerWrite; card: AppliedCard }>): Promise<void> {
  let wave: typeof writes = [];
  const flush = async () => {
    const results = await writeMoves(cr, wave.map((w) => w.write));
    wave.forEach((w, i) => { w.card.balance = results[i].balance; });
    wave = [];
  };
  for (const w of writes) {
    const plain = !w.write.requireFunds && w.write.entries.every((e) => e.points > 0);
    if (!plain || wave.some((x) => x.write.cardId === w.write.cardId)) await flush();
    if (plain) wave.push(w);
    else w.card.balance = (await writeLedger(cr, w.write)).balance;
    metrics.pointsMoved.inc({ kind: 'earn' }, Math.abs(w.card.won));
    metrics.pointsMoved.inc({ kind: 'redeem' }, Math.abs(w.card.spent));
  }
  await flush();
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

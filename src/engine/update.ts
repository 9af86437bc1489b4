import { programAvailable, usageLimitReached } from './applicability';
import { isNominative, isPaymentProgram, OrderLine, OrderState, unique } from './order';
import { checkComputePoints, ProgramStatus } from './points';
import { EngineError } from './messages';
import { rewardValues, writeIntoPool } from './rewardlines';
import { Program } from './types';

/** Programs this order may use: available (company, dates, channel…) per _get_program_domain. */
function available(state: OrderState, p: Program): boolean {
  return programAvailable(p, state.ctx);
}

/**
 * Gives an applicable program its card(s) on this order (__try_apply_program): nominative
 * programs use the partner's card (or a new one when the order gives points), others get one
 * new card per non-zero point entry. Returns an error when a nominative program has neither.
 */
export function applyProgramPoints(state: OrderState, program: Program, cardId: number | null, points: number[]): { error?: 'no_card_no_points'; cards: number[] } {
  if (cardId !== null) {
    if (isNominative(program)) state.couponPoints.set(cardId, points[0]);
    return { cards: [cardId] };
  }
  if (isNominative(program)) {
    const existing = partnerCard(state, program.id);
    if (!points[0] && existing === null) return { error: 'no_card_no_points', cards: [] };
    if (existing !== null) {
      state.couponPoints.set(existing, points[0]);
      return { cards: [existing] };
    }
  }
  const nonZero = points.filter((p) => p);
  const partner = isNominative(program) ? state.ctx.partnerId : null;
  const cards = nonZero.map((p) => {
    const card = state.createCard(program.id, partner);
    state.couponPoints.set(card.id, p);
    return card.id;
  });
  return { cards };
}

/** The partner's first card of a program (loyalty.card is ordered by id). */
function partnerCard(state: OrderState, programId: number): number | null {
  if (state.ctx.partnerId === null) return null;
  const candidates: number[] = [];
  for (const c of state.catalog.cards.values()) if (c.partnerId === state.ctx.partnerId && c.programId === programId) candidates.push(c.id);
  for (const c of state.newCards.values()) if (c.partnerId === state.ctx.partnerId && c.programId === programId) candidates.push(c.id);
  if (!candidates.length) return null;
  const existing = candidates.filter((id) => id > 0);
  return existing.length ? Math.min(...existing) : Math.max(...candidates);
}

/**
 * _update_programs_and_rewards: recompute every program's points on the order as it stands,
 * drop what no longer applies, replay the claimed rewards on the reset reward lines, and
 * give newly applicable automatic programs their cards.
 */
export function updateProgramsAndRewards(state: OrderState): void {
  const { catalog, ctx } = state;
  // Step 1: the partner's wallets and loyalty cards with points come along by themselves.
  if (ctx.partnerId !== null) {
    const attached = new Set(state.appliedCoupons);
    for (const card of [...catalog.cards.values()].sort((a, b) => a.id - b.id)) {
      if (attached.has(card.id) || card.partnerId !== ctx.partnerId || !(card.points > 0)) continue;
      const p = catalog.programs.get(card.programId);
      if (!p || !p.active) continue;
      if (p.programType === 'ewallet' || (p.programType === 'loyalty' && p.appliesOn !== 'current')) state.appliedCoupons.push(card.id);
    }
  }
  const pointsPrograms = state.pointsPrograms();
  const couponPrograms = unique(state.appliedCoupons.map((c) => state.card(c).programId));
  const automatic = [...catalog.programs.values()]
    .filter((p) => available(state, p) && !pointsPrograms.includes(p.id) && p.trigger === 'auto' && p.rules.some((r) => r.mode === 'auto'))
    .filter((p) => !usageLimitReached(p))
    .sort((a, b) => a.sequence - b.sequence || a.id - b.id);
  const toCheck = unique([...pointsPrograms, ...couponPrograms, ...automatic.map((p) => p.id)]).map((id) => state.program(id));
  const matching = new Set(toCheck.filter((p) => available(state, p)).map((p) => p.id));
  const status = new Map<number, ProgramStatus>();
  for (const p of toCheck) if (!matching.has(p.id)) status.set(p.id, { ok: false, code: 'program_not_available', message: '' });
  for (const [id, s] of checkComputePoints(state, toCheck.filter((p) => matching.has(p.id)))) status.set(id, s);
  const allCoupons = new Set([...state.pointCards(), ...state.appliedCoupons]);
  const linesToUnlink = new Set<OrderLine>();
  const cardsToUnlink = new Set<number>();
  const entriesToUnlink = new Set<number>();
  state.appliedCoupons = state.appliedCoupons.filter((id) => {
    const exp = state.card(id).expirationDate;
    return !exp || exp >= ctx.today;
  });
  const entriesPerProgram = new Map<number, number[]>();
  for (const cardId of state.pointCards()) {
    const card = state.card(cardId);
    // Points never go to someone else's card.
    if (card.partnerId !== null && card.partnerId !== ctx.partnerId) {
      state.couponPoints.set(cardId, 0);
      entriesToUnlink.add(cardId);
      continue;
    }
    const list = entriesPerProgram.get(card.programId) ?? [];
    list.push(cardId);
    entriesPerProgram.set(card.programId, list);
  }
  const dropLinesOf = (cards: Set<number>) => {
    for (const line of state.lines) {
      if (line.couponId !== null && cards.has(line.couponId)) {
        resetLine(line, true);
        linesToUnlink.add(line);
      }
    }
  };

  // Step 2: programs giving points.
  for (const programId of pointsPrograms) {
    const program = state.program(programId);
    const s = status.get(programId)!;
    const entries = entriesPerProgram.get(programId) ?? [];
    if (!s.ok) {
      const fromOrder = new Set(entries.filter((c) => c < 0));
      for (const c of fromOrder) allCoupons.delete(c);
      dropLinesOf(fromOrder);
      if (!isNominative(program)) for (const c of fromOrder) cardsToUnlink.add(c);
      else for (const c of entries) {
        state.couponPoints.set(c, 0);
        entriesToUnlink.add(c);
      }
      for (const r of program.rules) state.codeEnabledRules.delete(r.id);
      continue;
    }
    let changes = s.points.filter((p) => p);
    if (!changes.length && isNominative(program)) changes = [0];
    entries.forEach((c, i) => {
      if (i < changes.length) state.couponPoints.set(c, changes[i]);
    });
    if (entries.length < changes.length) {
      for (const p of changes.slice(entries.length)) {
        const card = state.createCard(program.id, null);
        state.couponPoints.set(card.id, p);
      }
    } else if (entries.length > changes.length) {
      for (const c of entries.slice(changes.length)) {
        allCoupons.delete(c);
        cardsToUnlink.add(c);
        state.couponPoints.set(c, 0);
      }
    }
  }

  // Cards entered or attached whose program no longer fits the order.
  for (const programId of couponPrograms) {
    const program = state.program(programId);
    const s = status.get(programId);
    if (!matching.has(programId) || (program.appliesOn === 'current' && s && !s.ok)) {
      const cards = new Set(state.appliedCoupons.filter((c) => state.card(c).programId === programId));
      dropLinesOf(cards);
      state.appliedCoupons = state.appliedCoupons.filter((c) => !cards.has(c));
      for (const c of cards) allCoupons.delete(c);
    }
  }

  // Step 3: replay the rewards on the reset reward lines, in the order of their first line,
  // payments last. Odoo's quirk, reproduced: a reused line keeps the fields the new reward
  // does not set, so a discount written over a former free-product line keeps discount 100
  // (it then counts for nothing while its points are spent). The corpus notes it `quirk:`.
  let pool = state.lines.filter((l) => l.rewardId !== null && l.couponId !== null && !linesToUnlink.has(l));
  const replay: { rewardId: number; couponId: number; productId: number }[] = [];
  const payments: typeof replay = [];
  const seen = new Set<number>();
  for (const line of state.lines) {
    if (line.rewardId === null || line.couponId === null || linesToUnlink.has(line) || seen.has(line.rewardCode!)) continue;
    seen.add(line.rewardCode!);
    const entry = { rewardId: line.rewardId, couponId: line.couponId, productId: line.productId };
    (isPaymentProgram(state.program(state.reward(line.rewardId).programId)) ? payments : replay).push(entry);
  }
  for (const line of pool) resetLine(line, false);
  for (const { rewardId, couponId, productId } of [...replay, ...payments]) {
    const reward = state.reward(rewardId);
    const points = state.realPoints(couponId);
    if (!allCoupons.has(couponId) || points < reward.requiredPoints || !matching.has(reward.programId)) continue;
    let values: ReturnType<typeof rewardValues> = [];
    try {
      values = rewardValues(state, reward, couponId, productId);
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
    }
    pool = writeIntoPool(state, values, pool);
  }
  // Step 4: automatic programs that now apply.
  for (const program of automatic) {
    const s = status.get(program.id);
    if (!s || !s.ok) continue;
    applyProgramPoints(state, program, null, s.points);
  }
  // Step 5: clean up. Deleting a leftover reward line also detaches its entered card, or
  // deletes the current-order card it came from when no other line uses it.
  unlinkRewardLines(state, [...linesToUnlink, ...pool]);
  for (const c of cardsToUnlink) state.deleteCard(c);
  for (const c of entriesToUnlink) state.couponPoints.delete(c);
}

/** _reset_loyalty: the line no longer weighs on anything (complete: it forgets its reward too). */
export function resetLine(line: OrderLine, complete: boolean): void {
  line.pointsCost = 0;
  line.priceUnit = 0;
  if (complete) {
    line.couponId = null;
    line.rewardId = null;
  }
}

/** sale.order.line unlink for reward lines, with its side effects on cards and code rules. */
export function unlinkRewardLines(state: OrderState, lines: OrderLine[]): void {
  if (!lines.length) return;
  const keys = new Set(lines.filter((l) => l.rewardId !== null).map((l) => `${l.rewardId}/${l.couponId}/${l.rewardCode}`));
  const related = new Set(lines);
  for (const l of state.lines) if (l.rewardId !== null && keys.has(`${l.rewardId}/${l.couponId}/${l.rewardCode}`)) related.add(l);
  const cardsToDelete = new Set<number>();
  for (const line of lines) {
    if (line.couponId === null) continue;
    const card = state.card(line.couponId);
    if (state.appliedCoupons.includes(line.couponId)) {
      state.appliedCoupons = state.appliedCoupons.filter((c) => c !== line.couponId);
    } else if (line.couponId < 0 && state.program(card.programId).appliesOn === 'current'
      && !state.lines.some((o) => o.couponId === line.couponId && !related.has(o))) {
      cardsToDelete.add(line.couponId);
      const programRules = new Set(state.program(card.programId).rules.map((r) => r.id));
      for (const r of programRules) state.codeEnabledRules.delete(r);
    }
  }
  state.removeLines(related);
  for (const c of cardsToDelete) state.deleteCard(c);
}

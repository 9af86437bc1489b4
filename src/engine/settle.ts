/**
 * Settling an order a till (or a web shop) already priced: what each card wins and what each
 * reward line costs, computed by the same flow as the preview (no second implementation).
 *
 * Input (SettleOrder): the sold lines, reward lines included as the till built them:
 *   - plain lines: productId, qty, priceUnit, discount, taxIds, rewardId null;
 *   - reward lines: rewardId, couponId (an existing card, or null for a card the order creates),
 *     productId (the free product, or the reward's discount product); consecutive lines of one
 *     reward and card are one claim (a discount is split per tax group over several lines);
 *   - codes entered at the till;
 *   - claims (optional): explicit claims replacing those read from the reward lines.
 * The till's reward prices and costs are not trusted: the claims are replayed on the plain
 * lines, in order; a claim the engine refuses is reported and costs nothing.
 *
 * Output (Settlement):
 *   - cards: one row per card the order touches: programId, cardId (null: a card the order
 *     creates), won (points the order gives it), spent (the points its reward lines cost);
 *   - rewardCosts: rewardId → points the engine charges for it;
 *   - refused: the claims the engine refused.
 */
import { runFlow } from './flow';
import { OrderState } from './order';
import { Catalog, ClaimInput, OrderContext, OrderLineInput } from './types';

export interface SettleLine extends OrderLineInput {
  rewardId: number | null;
  couponId: number | null;
}

export interface SettleOrder {
  lines: SettleLine[];
  codes: string[];
  /** explicit claims (a web shop's), in place of the claims read from the reward lines. */
  claims?: ClaimInput[];
}

export interface SettlementRow {
  programId: number;
  cardId: number | null;
  won: number;
  spent: number;
}

export interface Settlement {
  cards: SettlementRow[];
  rewardCosts: Map<number, number>;
  refused: ClaimInput[];
}

/** The till's reward lines as claims: one per run of lines with the same reward and card. */
export function claimsFromRewardLines(lines: SettleLine[]): ClaimInput[] {
  const claims: ClaimInput[] = [];
  let last: string | null = null;
  for (const l of lines) {
    if (l.rewardId === null) {
      last = null;
      continue;
    }
    const key = `${l.rewardId}/${l.couponId}`;
    if (key !== last) claims.push({ rewardId: l.rewardId, couponId: l.couponId, productId: l.productId });
    last = key;
  }
  return claims;
}

export function settleOrder(catalog: Catalog, ctx: OrderContext, order: SettleOrder): Settlement {
  const plain = order.lines.filter((l) => l.rewardId === null);
  const claims = order.claims ?? claimsFromRewardLines(order.lines).map((c) => {
    // A free product names its product; a discount line's product is the reward's own.
    const reward = catalog.rewardsById.get(c.rewardId);
    return reward && reward.rewardType === 'product' ? c : { ...c, productId: null };
  });
  const { state, refused } = runFlow(catalog, ctx, { lines: plain, codes: order.codes, claims }, 'skip');
  return { cards: cardRows(state), rewardCosts: rewardCosts(state), refused };
}

function cardRows(state: OrderState): SettlementRow[] {
  return state.touchedCards().map((id) => ({
    programId: state.card(id).programId, cardId: id < 0 ? null : id, won: state.won(id), spent: state.spent(id),
  }));
}

function rewardCosts(state: OrderState): Map<number, number> {
  const costs = new Map<number, number>();
  for (const l of state.lines) if (l.rewardId !== null) costs.set(l.rewardId, (costs.get(l.rewardId) ?? 0) + l.pointsCost);
  return costs;
}

import { Knex } from 'knex';
import { roundPoints } from '../ledger/types';
import { PointsRow, SoldOrder } from './types';

interface RewardDef {
  id: number;
  program_id: number;
  reward_type: 'product' | 'discount';
  discount_mode: 'percent' | 'per_point' | 'per_order';
  discount: number;
  required_points: number;
  reward_product_qty: number;
  clear_wallet: boolean;
  payment: boolean;
}

/**
 * What the reward lines a sold order actually carries cost, by the rewards' own rules rather
 * than the till's word: a free product costs required_points per reward_product_qty given, a
 * per-point discount (and a gift card or eWallet payment) costs the amount it took off divided
 * by its value per point, a percent or per-order discount its required points once. Only a
 * clear-wallet reward keeps the till's figure (it spends whatever the card held).
 * The engine prices a claim at the most it could give; the order gave what its lines say.
 */
export async function rewardLineCosts(
  cr: Knex, order: SoldOrder, refused: Array<{ rewardId: number; couponId: number | null }> = [],
): Promise<Map<number, { programId: number; couponId: number | null; cost: number }[]>> {
  const rewardLines = order.lines.filter((l) => l.isRewardLine && l.rewardId !== null
    && !refused.some((r) => r.rewardId === l.rewardId && r.couponId === l.couponId));
  const out = new Map<number, { programId: number; couponId: number | null; cost: number }[]>();
  if (!rewardLines.length) return out;
  const defs = new Map<number, RewardDef>((await cr.raw(`
    SELECT r.id, r.program_id, r.reward_type, r.discount_mode, COALESCE(r.discount, 0) AS discount, r.required_points,
           COALESCE(r.reward_product_qty, 1) AS reward_product_qty, COALESCE(r.clear_wallet, false) AS clear_wallet,
           p.program_type IN ('gift_card', 'ewallet') AS payment
      FROM loyalty_reward r JOIN loyalty_program p ON p.id = r.program_id WHERE r.id = ANY(?)`,
  [[...new Set(rewardLines.map((l) => l.rewardId!))]])).rows.map((r: RewardDef) => [r.id, r]));
  // Lines of one claim: same reward and card (a discount spreads over one line per tax group).
  const claims = new Map<string, typeof rewardLines>();
  for (const l of rewardLines) {
    const key = `${l.rewardId}:${l.couponId}`;
    claims.set(key, [...(claims.get(key) ?? []), l]);
  }
  for (const lines of claims.values()) {
    const def = defs.get(lines[0].rewardId!);
    if (!def) continue;
    const till = lines.reduce((s, l) => s + l.pointsCost, 0);
    const amount = Math.abs(lines.reduce((s, l) => s + l.priceUnit * l.qty * (1 - l.discount / 100), 0));
    let cost: number;
    if (def.clear_wallet) cost = till;
    else if (def.reward_type === 'product') cost = def.required_points * (lines.reduce((s, l) => s + l.qty, 0) / def.reward_product_qty);
    else if ((def.discount_mode === 'per_point' || def.payment) && def.discount > 0) cost = amount / def.discount;
    else cost = def.required_points;
    const list = out.get(def.program_id) ?? [];
    list.push({ programId: def.program_id, couponId: lines[0].couponId, cost: roundPoints(cost) });
    out.set(def.program_id, list);
  }
  return out;
}

/**
 * The engine's rows with `spent` taken from the order's actual reward lines: a card's spent is
 * what the lines naming it cost; a card the order creates (no id yet) takes its program's
 * lines that name no card.
 */
export function withActualCosts(rows: PointsRow[], costs: Map<number, { programId: number; couponId: number | null; cost: number }[]>): PointsRow[] {
  const out = rows.map((r) => ({ ...r, spent: 0 }));
  for (const [programId, claims] of costs) {
    for (const c of claims) {
      let row = out.find((r) => r.programId === programId && r.cardId === c.couponId);
      if (!row) out.push((row = { programId, cardId: c.couponId, won: 0, spent: 0 }));
      row.spent += c.cost;
    }
  }
  return out;
}

/**
 * The ledger's call into the engine (src/orders/engine.ts delegates here): loads the catalogue
 * for a sold order and settles it with src/engine/settle.ts, the same flow as the preview.
 */
import { Knex } from 'knex';
import { settleOrder } from '../../engine/settle';
import { ClaimInput } from '../../engine/types';
import { SoldOrder } from '../../orders/types';
import { defaultTaxes, orderContext } from './context';
import { loadCatalogs } from './load';
import { AppContext } from '../../context';
import { Env } from '../../orm/env';

export interface SoldOrderPoints {
  /** Per card: what the order gives it and what its reward lines cost. */
  rows: { programId: number; cardId: number | null; won: number; spent: number }[];
  /** Claims the engine refused (they cost nothing). */
  refused: ClaimInput[];
  /** The cards the engine saw (a batch keeps orders that see one card apart: each sees the one before). */
  cardIds: number[];
}

/**
 * Sold orders (one, or a batch of paid orders): their catalogues read in one round trip, each
 * settled in memory. An order's `claims` replace its own reward lines when given (an external
 * order sends its claims; a POS order's claims are its reward lines).
 */
export async function settleSoldOrders(
  cr: Knex, app: AppContext, orders: Array<{ order: SoldOrder; claims?: ClaimInput[] }>, channel: 'pos' | 'sale',
): Promise<SoldOrderPoints[]> {
  // The running service's context: the ORM's registry (product domains) is cached on it.
  const env: Env = { cr: cr as Knex.Transaction, uid: 1, context: {}, app };
  const dateOf = (order: SoldOrder) => (order.dateOrder ? order.dateOrder.slice(0, 10) : null);
  const worlds = await loadCatalogs(env, orders.map(({ order, claims }) => ({
    companyId: order.companyId,
    partnerId: order.partnerId,
    codes: order.codes,
    productIds: order.lines.map((l) => l.productId),
    cardIds: [...order.lines.map((l) => l.couponId), ...(claims ?? []).map((c) => c.couponId)].filter((c): c is number => c !== null),
    today: dateOf(order) ?? new Date().toISOString().slice(0, 10),
  })));
  return orders.map(({ order, claims }, i) => {
    const { catalog, parentCompanyId } = worlds[i];
    const toLine = (l: SoldOrder['lines'][number]) => ({
      productId: l.productId, qty: l.qty, priceUnit: l.priceUnit, discount: l.discount,
      taxIds: l.taxIds ?? defaultTaxes(catalog, l.productId, order.companyId),
      rewardId: l.isRewardLine ? l.rewardId : null, couponId: l.isRewardLine ? l.couponId : null,
    });
    const lines = order.lines.filter((l) => catalog.products.has(l.productId)).map(toLine);
    const ctx = orderContext({
      date: dateOf(order),
      companyId: order.companyId,
      parentCompanyId,
      partnerId: order.partnerId,
      channel,
    });
    const s = settleOrder(catalog, ctx, { lines, codes: order.codes, claims });
    return { rows: s.cards, refused: s.refused, cardIds: [...catalog.cards.keys()] };
  });
}

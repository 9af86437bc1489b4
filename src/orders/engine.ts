import { Knex } from 'knex';
import { preview, PreviewResult } from '../engine/flow';
import { EngineError } from '../engine/messages';
import { Catalog, ClaimInput, OrderContext, OrderInput } from '../engine/types';
import { loadCatalog, ProgramGate } from '../models/loyalty/load';
import { log } from '../log';
import { UserError } from '../errors';
import { PointsRow, SoldOrder } from './types';

export type ClaimedReward = ClaimInput;

export interface ComputedPoints {
  /** Per card: what the order gives it and what its reward lines cost. */
  rows: PointsRow[];
  /** Claims the engine refused: they cost nothing (logged). */
  refused: ClaimedReward[];
}

/** The loader caches program definitions per database: the key is the database's name. */
const cacheKeys = new WeakMap<object, Promise<string>>();
function cacheKey(cr: Knex): Promise<string> {
  const client = cr.client as object;
  let key = cacheKeys.get(client);
  if (!key) cacheKeys.set(client, (key = cr.raw('SELECT current_database() AS name').then((r) => r.rows[0].name as string)));
  return key;
}

/** A POS order may only use the programs of its point of sale (pos_config_ids, none = every one). */
async function posConfigGate(cr: Knex, posOrderId: number): Promise<ProgramGate> {
  const rows = (await cr.raw(`
    SELECT r.loyalty_program_id AS program_id, bool_or(r.pos_config_id = o.config_id) AS allowed
      FROM pos_order o CROSS JOIN loyalty_program_pos_config_rel r WHERE o.id = ? GROUP BY r.loyalty_program_id`, [posOrderId])).rows as
    Array<{ program_id: number; allowed: boolean }>;
  const restricted = new Map(rows.map((r) => [r.program_id, r.allowed]));
  return (p) => restricted.get(p.id) ?? true;
}

/** The rewards a sold order carries, one claim per reward and card (a discount spreads over several tax lines). */
function claimsFromRewardLines(order: SoldOrder, catalog: Catalog): ClaimInput[] {
  const claims = new Map<string, ClaimInput>();
  for (const l of order.lines) {
    if (!l.isRewardLine || l.rewardId === null) continue;
    const isProduct = catalog.rewardsById.get(l.rewardId)?.rewardType === 'product';
    const key = `${l.rewardId}:${l.couponId}:${isProduct ? l.productId : ''}`;
    if (!claims.has(key)) claims.set(key, { rewardId: l.rewardId, couponId: l.couponId, productId: isProduct ? l.productId : null });
  }
  return [...claims.values()];
}

/**
 * The one call into the loyalty engine: the points each program gives a sold order and what
 * its claimed rewards cost, judged on the order's date, for its channel (POS orders only see
 * POS programs of their point of sale). Claims the engine refuses are dropped one by one, so
 * the others still count; the engine's figures are what the ledger then writes.
 */
export async function computeOrderPoints(cr: Knex, order: SoldOrder, channel: 'pos' | 'sale', claimsGiven?: ClaimedReward[]): Promise<ComputedPoints> {
  const sold = order.lines.filter((l) => !l.isRewardLine && l.qty > 0);
  const company = (await cr.raw('SELECT id, parent_id FROM res_company WHERE id = ?', [order.companyId])).rows[0];
  const gate = channel === 'pos' && order.posOrderId !== null ? await posConfigGate(cr, order.posOrderId) : undefined;
  const rewardCards = order.lines.filter((l) => l.couponId !== null).map((l) => l.couponId!);
  const catalog = await loadCatalog(cr, await cacheKey(cr), {
    partnerId: order.partnerId,
    codes: order.codes,
    productIds: sold.map((l) => l.productId),
    cardIds: [...rewardCards, ...(claimsGiven ?? []).map((c) => c.couponId).filter((c): c is number => c !== null)],
  }, gate);
  const lines = sold.map((l) => {
    const product = catalog.products.get(l.productId);
    if (!product) throw new UserError(`Product ${l.productId} does not exist.`);
    const taxIds = l.taxIds ?? product.taxIds.filter((t) => {
      const tax = catalog.taxes.get(t);
      return tax && (tax.companyId === null || tax.companyId === order.companyId);
    });
    return { productId: l.productId, qty: l.qty, priceUnit: l.priceUnit, discount: l.discount, taxIds };
  });
  const ctx: OrderContext = {
    today: order.dateOrder.slice(0, 10), companyId: order.companyId, parentCompanyId: company?.parent_id ?? null,
    pricelistId: null, partnerId: order.partnerId, channel,
  };
  const claims = claimsGiven ?? claimsFromRewardLines(order, catalog);
  const run = (c: ClaimInput[]) => preview(catalog, ctx, { lines, codes: order.codes, claims: c } as OrderInput);
  let result: PreviewResult;
  const refused: ClaimInput[] = [];
  try {
    result = run(claims);
  } catch (err) {
    if (!(err instanceof EngineError)) throw err;
    const accepted: ClaimInput[] = [];
    for (const c of claims) {
      try {
        run([...accepted, c]);
        accepted.push(c);
      } catch (e) {
        if (!(e instanceof EngineError)) throw e;
        refused.push(c);
      }
    }
    result = run(accepted);
    log.warn('the engine refused rewards the order carries: they cost nothing', { order: order.reference, refused });
  }
  return {
    rows: result.points.map((p) => ({ programId: p.program_id, cardId: p.coupon_id === false ? null : p.coupon_id, won: p.won, spent: p.spent })),
    refused,
  };
}

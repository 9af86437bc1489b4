import { OrderContext, Program, ProductFilter } from './types';

/**
 * _get_program_domain: the program is active, enabled for this channel, of the order's
 * company (or none), compatible with its pricelist and inside its date window.
 */
export function programAvailable(p: Program, ctx: OrderContext): boolean {
  if (!p.active) return false;
  if (ctx.channel === 'sale' ? !p.saleOk : !p.posOk) return false;
  if (p.companyId !== null && p.companyId !== ctx.companyId && p.companyId !== ctx.parentCompanyId) return false;
  if (p.pricelistIds.length && (ctx.pricelistId === null || !p.pricelistIds.includes(ctx.pricelistId))) return false;
  if (p.dateFrom && p.dateFrom > ctx.today) return false;
  if (p.dateTo && p.dateTo < ctx.today) return false;
  return true;
}

/** Usage limit: the program's orders (sales and POS carrying one of its rewards) reached max_usage. */
export function usageLimitReached(p: Program): boolean {
  return p.limitUsage && p.orderCount >= p.maxUsage;
}

export function matches(filter: ProductFilter | null, productId: number): boolean {
  if (!filter) return false;
  return filter.all || filter.ids.has(productId);
}

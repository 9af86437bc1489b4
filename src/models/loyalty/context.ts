/** The order context and default taxes, shared by the preview and order settling. */
import { Catalog, OrderContext } from '../../engine/types';

/** The product's customer taxes of the order's company (what Odoo puts on a new line). */
export function defaultTaxes(catalog: Catalog, productId: number, companyId: number): number[] {
  const product = catalog.products.get(productId);
  return (product?.taxIds ?? []).filter((t) => {
    const tax = catalog.taxes.get(t);
    return tax && (tax.companyId === null || tax.companyId === companyId);
  });
}

export function orderContext(o: Omit<OrderContext, 'today' | 'pricelistId'> & { date: string | null }): OrderContext {
  const { date, ...rest } = o;
  return { ...rest, today: date ?? new Date().toISOString().slice(0, 10), pricelistId: null };
}

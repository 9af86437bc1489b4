/** The order context and default taxes, shared by the preview and order settling. */
import { Knex } from 'knex';
import { Catalog, OrderContext } from '../../engine/types';

export async function companyParent(db: Knex, companyId: number): Promise<number | null> {
  const row = (await db.raw('select parent_id from res_company where id = ?', [companyId])).rows[0];
  return row?.parent_id ?? null;
}

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

import { Env } from '../env';

/**
 * Inverses of non-stored fields (Odoo's `inverse=` methods and writable related fields): what
 * writing such a field does to the stored ones (product.product.lst_price sets the template's
 * list_price; loyalty.program.trigger_product_ids sets its rules' products). Without an
 * inverse, Odoo drops a value written to a non-stored field, and so does the sidecar.
 */
export type Inverse = (env: Env, ids: number[], value: unknown) => Promise<void>;

const inverses = new Map<string, Inverse>();

export function defineInverse(model: string, field: string, fn: Inverse): void {
  inverses.set(`${model}.${field}`, fn);
}

export function findInverse(model: string, field: string): Inverse | undefined {
  return inverses.get(`${model}.${field}`);
}

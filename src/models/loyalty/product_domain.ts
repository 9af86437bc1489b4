/**
 * Evaluates a product.product domain (rules' product_domain, rewards' discount_product_domain)
 * to the set of matching product ids with the ORM's domain compiler, archived products
 * included (Odoo applies these domains with filtered_domain on the order's products, which
 * ignores `active`). Runs as the superuser: a program's product filter does not depend on who
 * previews the order.
 */
import { Env } from '../../orm/env';
import { searchIds } from '../../orm/search';
import { Domain } from '../../orm/domain';

export async function productIdsMatching(env: Env, domain: unknown[]): Promise<Set<number>> {
  const sudo: Env = { ...env, uid: 1, context: { ...env.context, active_test: false } };
  return new Set(await searchIds(sudo, 'product.product', domain as Domain));
}

import { Env } from '../../orm/env';
import { defineDefaults } from '../../orm/defaults';
import { afterWrite } from '../../orm/computes';
import { beforeUnlink } from '../../orm/ondelete';
import { createRecords, writeRecords } from '../../orm/write/records';
import { setActive } from '../../orm/write/archive';
import { describeReward, ProductDomainFilter } from './reward-description';
import { evalPyLiteral } from '../../orm/pyliteral';
import { searchIds } from '../../orm/search';
import { combine } from '../../orm/rules';
import { checkProgramsHaveRewards } from './program-write';
import { typed } from './program-type-defaults';

/**
 * loyalty.reward on the write side: defaults, the stored description, the discount line
 * product each reward gets (a service product named after it, without taxes, as pos_loyalty
 * makes it), its company (related to the program's), archiving its product with it, and the
 * unlink rules (pos_loyalty archives a reward used on POS lines instead of deleting it; the
 * program must keep a reward).
 */

defineDefaults('loyalty.reward', {
  active: true,
  reward_type: typed('reward_ids', 'reward_type', 'discount'),
  discount: typed('reward_ids', 'discount', 10),
  discount_mode: typed('reward_ids', 'discount_mode', 'percent'),
  discount_applicability: typed('reward_ids', 'discount_applicability', 'order'),
  discount_product_domain: '[]',
  discount_product_ids: typed('reward_ids', 'discount_product_ids', undefined),
  reward_product_id: typed('reward_ids', 'reward_product_id', undefined),
  description: typed('reward_ids', 'description', undefined),
  reward_product_qty: 1,
  required_points: typed('reward_ids', 'required_points', 1),
  clear_wallet: false,
});

/**
 * A reward's discount_product_domain (a Python literal, never evaluated as code) applied by the
 * ORM's domain compiler to the candidate products.
 */
const productDomainFilter: ProductDomainFilter = async (env, domain, candidates) => {
  let parsed: unknown;
  try {
    parsed = evalPyLiteral(domain);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed)) return null;
  const restrict = candidates === null ? [] : [['id', 'in', candidates]];
  return searchIds(env, 'product.product', combine('&', [restrict, parsed].filter((d) => d.length)), { limit: 2 });
};

const DESCRIPTION_DEPENDS = [
  'reward_type', 'reward_product_id', 'discount_mode', 'reward_product_tag_id', 'discount', 'discount_applicability',
  'discount_product_ids', 'discount_product_category_id', 'discount_product_tag_id', 'discount_product_domain',
  'discount_max_amount', 'program_id',
];

const lang = (env: Env) => (typeof env.context.lang === 'string' && env.context.lang) || 'en_US';

/** Recomputes the stored descriptions of rewards whose description was not given. */
export async function recomputeDescriptions(env: Env, ids: number[]): Promise<void> {
  const rows = await env.cr('loyalty_reward').whereIn('id', ids).select();
  for (const row of rows) {
    const text = await describeReward(env, row, productDomainFilter);
    const l = lang(env);
    await env.cr.raw(
      `update loyalty_reward set description = coalesce(description, '{}'::jsonb) || ?::jsonb where id = ?`,
      [JSON.stringify(l === 'en_US' ? { en_US: text } : { en_US: text, [l]: text }), row.id],
    );
  }
}

afterWrite('loyalty.reward', ['program_id'], async (env, ids) => {
  await env.cr.raw(
    `update loyalty_reward r set company_id = p.company_id from loyalty_program p
      where p.id = r.program_id and r.id = any(?) and r.company_id is distinct from p.company_id`,
    [ids],
  );
});

afterWrite('loyalty.reward', DESCRIPTION_DEPENDS, async (env, ids, event) => {
  if (!event.fields.has('description')) await recomputeDescriptions(env, ids);
});

/** _create_missing_discount_line_products, and the product's name kept to the description when it is written. */
afterWrite('loyalty.reward', ['description'], async (env, ids, event) => {
  const rows: Array<{ id: number; description: Record<string, string> | null; discount_line_product_id: number | null }> = await env
    .cr('loyalty_reward').whereIn('id', ids).select('id', 'description', 'discount_line_product_id');
  for (const row of rows) {
    const name = row.description?.[lang(env)] ?? row.description?.en_US ?? false;
    if (!row.discount_line_product_id) {
      const [product] = await createRecords(env, 'product.product', [
        { name, type: 'service', detailed_type: 'service', sale_ok: false, purchase_ok: false, list_price: 0, taxes_id: false },
      ]);
      await env.cr('loyalty_reward').where('id', row.id).update({ discount_line_product_id: product });
    } else if (event.kind === 'write' && event.fields.has('description')) {
      await writeRecords(env, 'product.product', [row.discount_line_product_id], { name });
    }
  }
});

afterWrite('loyalty.reward', ['active'], async (env, ids, event) => {
  if (event.kind !== 'write') return;
  const rows: Array<{ active: boolean; discount_line_product_id: number | null }> = await env
    .cr('loyalty_reward').whereIn('id', ids).whereNotNull('discount_line_product_id').select('active', 'discount_line_product_id');
  for (const active of [true, false]) {
    const products = rows.filter((r) => !!r.active === active).map((r) => r.discount_line_product_id!);
    if (products.length) await setActive(env, 'product.product', products, active);
  }
});

beforeUnlink('loyalty.reward', async (env, ids) => {
  const programs = (await env.cr('loyalty_reward').whereIn('id', ids).distinct('program_id')).map((r: { program_id: number }) => r.program_id);
  // pos_loyalty: one reward that POS order lines used is archived instead of deleted (and
  // loyalty's own unlink, with its check on the program, does not run then).
  if (ids.length === 1 && (await env.cr('pos_order_line').where('reward_id', ids[0]).first('id'))) {
    await setActive(env, 'loyalty.reward', ids, false);
    return { spare: ids };
  }
  return { after: () => checkProgramsHaveRewards(env, programs) };
});

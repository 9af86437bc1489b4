import { defineDefaults } from '../../orm/defaults';
import { afterWrite } from '../../orm/computes';
import { constrains } from '../../orm/constraints';
import { ValidationError } from '../../errors';
import { generateCardCode } from './codes';
import { typed } from './program-type-defaults';

/**
 * loyalty.rule on the write side: defaults, the stored computes mode ⇄ code (a code makes
 * the rule 'with_code'; mode 'auto' clears the code), pos_loyalty's promo_barcode (a new one
 * whenever the code changes), the company of its program, and the code constraints.
 */

defineDefaults('loyalty.rule', {
  active: true,
  product_domain: '[]',
  reward_point_amount: typed('rule_ids', 'reward_point_amount', 1),
  reward_point_split: typed('rule_ids', 'reward_point_split', false),
  reward_point_mode: typed('rule_ids', 'reward_point_mode', 'order'),
  minimum_qty: typed('rule_ids', 'minimum_qty', 1),
  minimum_amount: typed('rule_ids', 'minimum_amount', undefined),
  product_ids: typed('rule_ids', 'product_ids', undefined),
  mode: typed('rule_ids', 'mode', undefined),
  code: typed('rule_ids', 'code', undefined),
  minimum_amount_tax_mode: 'incl',
});

afterWrite('loyalty.rule', ['program_id'], async (env, ids) => {
  await env.cr.raw(
    `update loyalty_rule r set company_id = p.company_id from loyalty_program p
      where p.id = r.program_id and r.id = any(?) and r.company_id is distinct from p.company_id`,
    [ids],
  );
});

afterWrite('loyalty.rule', ['code', 'mode'], async (env, ids, event) => {
  const given = (f: string) => event.fields.has(f);
  // mode depends on code, code on mode: whichever was given drives the other.
  if (!given('mode') && (event.kind === 'create' || given('code'))) {
    await env.cr.raw(`update loyalty_rule set mode = case when code is not null and code <> '' then 'with_code' else 'auto' end where id = any(?)`, [ids]);
  }
  if (given('mode') && !given('code')) {
    await env.cr.raw(`update loyalty_rule set code = null where mode = 'auto' and id = any(?)`, [ids]);
  }
  if (!given('promo_barcode') && (event.kind === 'create' || given('code') || given('mode'))) {
    for (const id of ids) await env.cr('loyalty_rule').where('id', id).update({ promo_barcode: generateCardCode() });
  }
});

constrains('loyalty.rule', ['reward_point_split'], async (env, ids) => {
  const bad = await env.cr('loyalty_rule as r').join('loyalty_program as p', 'p.id', 'r.program_id')
    .whereIn('r.id', ids).where('r.reward_point_split', true)
    .andWhere((q) => q.where('p.applies_on', 'both').orWhere('p.program_type', 'ewallet')).first('r.id');
  if (bad) throw new ValidationError('Split per unit is not allowed for Loyalty and eWallet programs.');
});

constrains('loyalty.rule', ['code'], async (env, ids) => {
  const codes: string[] = (await env.cr('loyalty_rule').whereIn('id', ids).whereNotNull('code').whereNot('code', '').select('code'))
    .map((r: { code: string }) => r.code);
  if (!codes.length) return;
  const clash = await env.cr('loyalty_rule').where('mode', 'with_code').whereIn('code', codes).whereNotIn('id', ids).first('id');
  if (new Set(codes).size !== codes.length || clash) throw new ValidationError('The promo code must be unique.');
  if (await env.cr('loyalty_card').whereIn('code', codes).first('id')) throw new ValidationError('A coupon with the same code was found.');
});

import { Env } from '../../orm/env';
import { defineDefaults } from '../../orm/defaults';
import { afterWrite } from '../../orm/computes';
import { constrains } from '../../orm/constraints';
import { ValidationError } from '../../errors';
import { generateCardCode } from './codes';

/**
 * loyalty.card on the write side: a generated code by default, the program from the
 * context's active_id, the company of its program, and the rule that a card code may not be
 * a promo code. Nobody may unlink a card: ir_model_access grants no unlink on loyalty.card,
 * so the access check refuses it before anything here runs.
 */

defineDefaults('loyalty.card', {
  code: () => generateCardCode(),
  program_id: (env: Env) => (typeof env.context.active_id === 'number' ? env.context.active_id : false),
});

afterWrite('loyalty.card', ['program_id'], async (env, ids) => {
  await env.cr.raw(
    `update loyalty_card c set company_id = p.company_id from loyalty_program p
      where p.id = c.program_id and c.id = any(?) and c.company_id is distinct from p.company_id`,
    [ids],
  );
  await env.cr.raw(`update loyalty_card set company_id = null where program_id is null and company_id is not null and id = any(?)`, [ids]);
});

constrains('loyalty.card', ['code'], async (env, ids) => {
  const clash = await env.cr('loyalty_rule').where('mode', 'with_code')
    .whereIn('code', env.cr('loyalty_card').whereIn('id', ids).select('code')).first('id');
  if (clash) throw new ValidationError('A trigger with the same code as one of your coupon already exists.');
});

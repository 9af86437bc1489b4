import { Env } from '../../orm/env';
import { defineDefaults } from '../../orm/defaults';
import { userInfo } from '../../orm/user';
import { afterWrite } from '../../orm/computes';
import { constrains } from '../../orm/constraints';
import { beforeUnlink } from '../../orm/ondelete';
import { afterToggleActive } from '../../orm/write/archive';
import { writeRecords } from '../../orm/write/records';
import { splitWrite } from '../../orm/write/write-groups';
import { defineInverse } from '../../orm/write/inverses';
import { prepareCreate } from '../../orm/write/create-vals';
import { programTypeDefaults } from './program-type-defaults';
import { UserError, ValidationError } from '../../errors';

/**
 * loyalty.program on the write side, as addons loyalty, sale_loyalty and pos_loyalty define
 * it: defaults, the currency that follows the company, constraints, the rule that an active
 * program cannot be deleted, and archiving that carries its rules, rewards, communication
 * plans and discount products along.
 *
 * Over RPC, Odoo does not apply the per-program-type defaults (_program_type_default_values)
 * on create: a program created without trigger keeps trigger empty and applies_on 'current'.
 */

async function companyCurrency(env: Env, companyId: unknown): Promise<number | false> {
  if (typeof companyId !== 'number') return false;
  const row = await env.cr('res_company').where('id', companyId).first('currency_id');
  return row?.currency_id ?? false;
}

defineDefaults('loyalty.program', {
  active: true,
  company_id: async (env: Env) => (await userInfo(env)).companyId,
  program_type: 'promotion',
  applies_on: 'current',
  portal_visible: false,
  portal_point_name: 'Points',
  pos_ok: true,
  sale_ok: true,
  // currency_id is computed before insert (precompute=True) from the company.
  currency_id: (env: Env, vals: Record<string, unknown>) => companyCurrency(env, vals.company_id),
});

afterWrite('loyalty.program', ['company_id'], async (env, ids, event) => {
  if (event.kind === 'write' && !event.fields.has('currency_id')) {
    await env.cr.raw(
      `update loyalty_program p set currency_id = coalesce(c.currency_id, p.currency_id)
         from res_company c where c.id = p.company_id and p.id = any(?)`,
      [ids],
    );
  }
  // company_id of rules, rewards and cards is a stored related field of the program's.
  for (const table of ['loyalty_rule', 'loyalty_reward', 'loyalty_card']) {
    await env.cr.raw(
      `update ?? t set company_id = p.company_id from loyalty_program p
         where p.id = t.program_id and p.id = any(?) and t.company_id is distinct from p.company_id`,
      [table, ids],
    );
  }
});

constrains('loyalty.program', ['date_from', 'date_to'], async (env, ids) => {
  const bad = await env.cr('loyalty_program').whereIn('id', ids).whereNotNull('date_from').whereNotNull('date_to')
    .whereRaw('date_from > date_to').first('id');
  if (bad) throw new UserError("The validity period's start date must be anterior or equal to its end date.");
});

/** Programs of `ids` without an active reward (what `not program.reward_ids` sees). */
export async function checkProgramsHaveRewards(env: Env, ids: number[]): Promise<void> {
  if (env.context.loyalty_skip_reward_check) return;
  const bad = await env.cr('loyalty_program as p').whereIn('p.id', ids)
    .whereNotExists((q) => q.select(env.cr.raw('1')).from('loyalty_reward as r').whereRaw('r.program_id = p.id').where('r.active', true))
    .first('p.id');
  if (bad) throw new ValidationError('A program must have at least one reward.');
}

constrains('loyalty.program', ['reward_ids'], checkProgramsHaveRewards);

constrains('loyalty.program', ['currency_id', 'pricelist_ids'], async (env, ids) => {
  const bad = (
    await env.cr.raw(
      `select 1 from loyalty_program p join loyalty_program_product_pricelist_rel r on r.loyalty_program_id = p.id
         join product_pricelist pl on pl.id = r.product_pricelist_id
        where p.id = any(?) and pl.currency_id is distinct from p.currency_id limit 1`,
      [ids],
    )
  ).rows[0];
  if (bad) throw new UserError("The loyalty program's currency must be the same as all it's pricelists ones.");
});

beforeUnlink('loyalty.program', async (env, ids) => {
  const active = await env.cr('loyalty_program').whereIn('id', ids).where('active', true).first('id');
  if (active) throw new UserError('You can not delete a program in an active state');
});

afterToggleActive('loyalty.program', async (env, ids, active) => {
  const all = { ...env, context: { ...env.context, active_test: false } };
  const children = async (table: string) =>
    (
      await env.cr(table).whereIn('program_id', ids).andWhere((q) => q.whereNot('active', active).orWhereNull('active')).select('id')
    ).map((r: { id: number }) => r.id);
  const rules = await children('loyalty_rule');
  if (rules.length) await writeRecords(all, 'loyalty.rule', rules, { active });
  const rewards = await children('loyalty_reward');
  if (rewards.length) await writeRecords(all, 'loyalty.reward', rewards, { active });
  const mails = await children('loyalty_mail');
  if (mails.length) await writeRecords(all, 'loyalty.mail', mails, { active });
  const products = (
    await env.cr('loyalty_reward').whereIn('program_id', ids).whereNotNull('discount_line_product_id').select('discount_line_product_id')
  ).map((r: { discount_line_product_id: number }) => r.discount_line_product_id);
  if (products.length) await writeRecords(all, 'product.product', [...new Set(products)], { active });
});

/** The reward ids a reward_ids value leaves on a program (what Odoo's convert_to_cache computes). */
function rewardsAfter(current: number[], value: unknown): number[] {
  if (value === false || value === null) return [];
  if (!Array.isArray(value)) return current;
  if (value.every((v) => typeof v === 'number')) return value as number[];
  let ids = [...current];
  let fresh = 0;
  for (const cmd of value) {
    if (!Array.isArray(cmd)) continue;
    const [op, id, arg] = cmd as [number, number, unknown];
    if (op === 0) fresh++;
    else if (op === 2 || op === 3) ids = ids.filter((x) => x !== id);
    else if (op === 4 && !ids.includes(id)) ids.push(id);
    else if (op === 5) ids = [];
    else if (op === 6) ids = Array.isArray(arg) ? (arg as number[]) : [];
    if (op === 5 || op === 6) fresh = 0;
  }
  return fresh ? [...ids, ...Array(fresh).fill(-1)] : ids;
}

/**
 * loyalty.program.write: when the rewards are written and some remain, the reward check is
 * skipped (the old ones may go before the new ones come) and the rewards are written with the
 * program's type in the context, so that new rewards and rules take that type's defaults.
 */
splitWrite('loyalty.program', async (env, ids, vals) => {
  if (!('reward_ids' in vals)) return null;
  const current = (await env.cr('loyalty_reward').whereIn('program_id', ids).where('active', true).select('id')).map((r: { id: number }) => r.id);
  if (!rewardsAfter(current, vals.reward_ids).length) return null;
  if ('program_type' in vals) return [{ ids, context: { loyalty_skip_reward_check: true, program_type: vals.program_type } }];
  const rows: Array<{ id: number; program_type: string }> = await env.cr('loyalty_program').whereIn('id', ids).orderBy('id').select('id', 'program_type');
  return rows.map((r) => ({ ids: [r.id], context: { loyalty_skip_reward_check: true, program_type: r.program_type } }));
});

/** Writing a program's type recomputes what Odoo computes from it, except the fields written with it. */
afterWrite('loyalty.program', ['program_type'], async (env, ids, event) => {
  if (event.kind !== 'write') return;
  const rows: Array<{ id: number; program_type: string }> = await env.cr('loyalty_program').whereIn('id', ids).select('id', 'program_type');
  for (const row of rows) {
    const defaults = await programTypeDefaults(env, row.program_type);
    if (!defaults) continue;
    const vals = Object.fromEntries(Object.entries(defaults).filter(([k]) => !event.fields.has(k)));
    if (Object.keys(vals).length) await writeRecords(env, 'loyalty.program', [row.id], vals);
  }
});

/** trigger_product_ids is related to rule_ids.product_ids (writable): it sets every rule's products. */
defineInverse('loyalty.program', 'trigger_product_ids', async (env, ids, value) => {
  const rules = (await env.cr('loyalty_rule').whereIn('program_id', ids).select('id')).map((r: { id: number }) => r.id);
  if (rules.length) await writeRecords(env, 'loyalty.rule', rules, { product_ids: value });
});

/** loyalty.program.create: trigger_product_ids counts only for gift card and eWallet programs. */
prepareCreate('loyalty.program', (_env, vals) => {
  if (!('trigger_product_ids' in vals) || ['gift_card', 'ewallet'].includes(vals.program_type as string)) return vals;
  const { trigger_product_ids: _dropped, ...rest } = vals;
  return rest;
});

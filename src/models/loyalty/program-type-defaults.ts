import { randomUUID } from 'node:crypto';
import { Env } from '../../orm/env';
import { refId } from '../../orm/xmlid';
import { searchIds } from '../../orm/search';
import { userInfo } from '../../orm/user';

/**
 * loyalty.program._program_type_default_values: what a program of each type starts with.
 * Odoo applies it when a program's type is written (the stored fields computed from
 * program_type: trigger, applies_on, portal fields, rules, rewards, communication plans),
 * and loyalty.rule / loyalty.reward default_get take the first rule's and reward's values
 * from it when the context names a program_type.
 */
export type TypeDefaults = Record<string, unknown> & { rule_ids: unknown[]; reward_ids: unknown[]; communication_plan_ids: unknown[] };

async function currencySymbol(env: Env): Promise<string> {
  const { companyId } = await userInfo(env);
  const row = (await env.cr.raw(`select c.symbol from res_company co join res_currency c on c.id = co.currency_id where co.id = ?`, [companyId])).rows[0];
  return row?.symbol ?? '';
}

async function firstSaleProduct(env: Env): Promise<number | false> {
  const { companyId } = await userInfo(env);
  const [id] = await searchIds(env, 'product.product', [['company_id', 'in', [false, companyId]], ['sale_ok', '=', true]], { limit: 1 });
  return id ?? false;
}

const mailPlan = async (env: Env, template: string) => {
  const id = await refId(env, template);
  return [[5, 0, 0], [0, 0, { trigger: 'create', mail_template_id: id }]];
};

const idsOf = (id: number | false) => [[6, 0, id ? [id] : []]];

export async function programTypeDefaults(env: Env, programType: string): Promise<TypeDefaults | undefined> {
  switch (programType) {
    case 'coupons':
      return {
        applies_on: 'current', trigger: 'with_code', portal_visible: false, portal_point_name: 'Coupon point(s)',
        rule_ids: [[5, 0, 0]],
        reward_ids: [[5, 0, 0], [0, 0, { required_points: 1, discount: 10 }]],
        communication_plan_ids: await mailPlan(env, 'loyalty.mail_template_loyalty_card'),
      };
    case 'promotion':
      return {
        applies_on: 'current', trigger: 'auto', portal_visible: false, portal_point_name: 'Promo point(s)',
        rule_ids: [[5, 0, 0], [0, 0, { reward_point_amount: 1, reward_point_mode: 'order', minimum_amount: 50, minimum_qty: 0 }]],
        reward_ids: [[5, 0, 0], [0, 0, { required_points: 1, discount: 10 }]],
        communication_plan_ids: [[5, 0, 0]],
      };
    case 'gift_card':
      return {
        applies_on: 'future', trigger: 'auto', portal_visible: true, portal_point_name: await currencySymbol(env),
        rule_ids: [[5, 0, 0], [0, 0, {
          reward_point_amount: 1, reward_point_mode: 'money', reward_point_split: true,
          product_ids: idsOf(await refId(env, 'loyalty.gift_card_product_50')), minimum_qty: 0,
        }]],
        reward_ids: [[5, 0, 0], [0, 0, {
          reward_type: 'discount', discount_mode: 'per_point', discount: 1, discount_applicability: 'order', required_points: 1, description: 'Gift Card',
        }]],
        communication_plan_ids: await mailPlan(env, 'loyalty.mail_template_gift_card'),
      };
    case 'loyalty':
      return {
        applies_on: 'both', trigger: 'auto', portal_visible: true, portal_point_name: 'Loyalty point(s)',
        rule_ids: [[5, 0, 0], [0, 0, { reward_point_mode: 'money' }]],
        reward_ids: [[5, 0, 0], [0, 0, { discount: 5, required_points: 200 }]],
        communication_plan_ids: [[5, 0, 0]],
      };
    case 'ewallet':
      return {
        trigger: 'auto', applies_on: 'future', portal_visible: true, portal_point_name: await currencySymbol(env),
        rule_ids: [[5, 0, 0], [0, 0, {
          reward_point_amount: '1', reward_point_mode: 'money', reward_point_split: false,
          product_ids: idsOf(await refId(env, 'loyalty.ewallet_product_50')),
        }]],
        reward_ids: [[5, 0, 0], [0, 0, {
          reward_type: 'discount', discount_mode: 'per_point', discount: 1, discount_applicability: 'order', required_points: 1, description: 'eWallet',
        }]],
        communication_plan_ids: [[5, 0, 0]],
      };
    case 'promo_code': {
      const product = await firstSaleProduct(env);
      return {
        applies_on: 'current', trigger: 'with_code', portal_visible: false, portal_point_name: 'Discount point(s)',
        // Odoo suffixes a random slice so that the unique-code constraint is not hit.
        rule_ids: [[5, 0, 0], [0, 0, { mode: 'with_code', code: 'PROMO_CODE_' + randomUUID().slice(0, 4), minimum_qty: 0 }]],
        reward_ids: [[5, 0, 0], [0, 0, { discount_applicability: 'specific', discount_product_ids: idsOf(product), discount_mode: 'percent', discount: 10 }]],
        communication_plan_ids: [[5, 0, 0]],
      };
    }
    case 'buy_x_get_y': {
      const product = await firstSaleProduct(env);
      return {
        applies_on: 'current', trigger: 'auto', portal_visible: false, portal_point_name: 'Credit(s)',
        rule_ids: [[5, 0, 0], [0, 0, { reward_point_mode: 'unit', product_ids: idsOf(product), minimum_qty: 2 }]],
        reward_ids: [[5, 0, 0], [0, 0, { reward_type: 'product', reward_product_id: product, required_points: 2 }]],
        communication_plan_ids: [[5, 0, 0]],
      };
    }
    case 'next_order_coupons':
      return {
        applies_on: 'future', trigger: 'auto', portal_visible: true, portal_point_name: 'Coupon point(s)',
        rule_ids: [[5, 0, 0], [0, 0, { minimum_amount: 100, minimum_qty: 0 }]],
        reward_ids: [[5, 0, 0], [0, 0, { reward_type: 'discount', discount_mode: 'percent', discount: 15, discount_applicability: 'order' }]],
        communication_plan_ids: await mailPlan(env, 'loyalty.mail_template_loyalty_card'),
      };
    default:
      return undefined;
  }
}

/** The first rule's or reward's values for the context's program_type (loyalty.rule/reward default_get). */
export async function typeLineDefault(env: Env, line: 'rule_ids' | 'reward_ids', field: string): Promise<unknown> {
  const type = env.context.program_type;
  if (typeof type !== 'string') return undefined;
  const defaults = await programTypeDefaults(env, type);
  const commands = defaults?.[line];
  if (!commands || commands.length !== 2) return undefined;
  const vals = (commands[1] as unknown[])[2] as Record<string, unknown>;
  return vals[field];
}

/** A default that the context's program_type overrides (loyalty.reward/rule default_get); undefined: none. */
export const typed = (line: 'rule_ids' | 'reward_ids', field: string, plain: unknown) => async (env: Env) =>
  (await typeLineDefault(env, line, field)) ?? plain;

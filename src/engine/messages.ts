/**
 * Why the engine refused something: a stable code for programs, and Odoo's own wording
 * (sale_loyalty's messages) for people.
 */
export type EngineErrorCode =
  | 'code_invalid'
  | 'coupon_expired'
  | 'coupon_used'
  | 'usage_limit_reached'
  | 'code_already_applied'
  | 'program_not_available'
  | 'program_already_applied'
  | 'code_required'
  | 'minimum_amount_not_reached'
  | 'minimum_quantity_not_reached'
  | 'no_card_no_points'
  | 'future_only'
  | 'not_enough_points'
  | 'better_global_discount'
  | 'nothing_to_discount'
  | 'invalid_reward_product'
  | 'reward_not_claimable';

export interface EngineMessage {
  code: EngineErrorCode;
  message: string;
}

/** A claim the order cannot take, or input the engine cannot work with. */
export class EngineError extends Error {
  constructor(readonly code: EngineErrorCode, message: string) {
    super(message);
  }
}

/** Python's str() of a float: 100.0, 12.5. */
export function formatMinimumAmount(v: number): string {
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

export const MESSAGES = {
  codeInvalid: (code: string): EngineMessage => ({ code: 'code_invalid', message: `This code is invalid (${code}).` }),
  couponExpired: (): EngineMessage => ({ code: 'coupon_expired', message: 'This coupon is expired.' }),
  couponUsed: (): EngineMessage => ({ code: 'coupon_used', message: 'This coupon has already been used.' }),
  usageLimit: (code: string): EngineMessage => ({ code: 'usage_limit_reached', message: `This code is expired (${code}).` }),
  alreadyApplied: (): EngineMessage => ({ code: 'code_already_applied', message: 'This promo code is already applied.' }),
  notAvailable: (): EngineMessage => ({ code: 'program_not_available', message: 'The program is not available for this order.' }),
  programAlreadyApplied: (): EngineMessage => ({ code: 'program_already_applied', message: 'This program is already applied to this order.' }),
  noCardNoPoints: (): EngineMessage => ({
    code: 'no_card_no_points',
    message: 'No card found for this loyalty program and no points will be given with this order.',
  }),
  futureOnly: (): EngineMessage => ({ code: 'future_only', message: 'The coupon can only be claimed on future orders.' }),
  notEnoughPoints: (): EngineMessage => ({ code: 'not_enough_points', message: 'The coupon does not have enough points for the selected reward.' }),
  betterGlobal: (): EngineMessage => ({ code: 'better_global_discount', message: 'A better global discount is already applied.' }),
  nothingToDiscount: (): EngineMessage => ({ code: 'nothing_to_discount', message: 'There is nothing to discount' }),
  invalidProduct: (): EngineMessage => ({ code: 'invalid_reward_product', message: 'Invalid product to claim.' }),
};

import { JSONSchemaType } from 'ajv';
import { INT4_MAX } from '../bounds';

/** Text PostgreSQL can store: no NUL character (its text types refuse it). */
const TEXT = '^[^\\u0000]*$';

/**
 * Request bodies of the REST API: validated with ajv and published as they are in the
 * OpenAPI document (src/api/openapi.ts), so the two cannot disagree.
 */

export interface EarnRequest {
  card_id: number;
  /** Signed manual adjustment; a negative one is refused when the card is short. */
  points: number;
  reason: string;
}

export const earnSchema: JSONSchemaType<EarnRequest> = {
  type: 'object',
  properties: {
    card_id: { type: 'integer', minimum: 1, maximum: INT4_MAX },
    points: { type: 'number', not: { const: 0 }, minimum: -1e12, maximum: 1e12 },
    reason: { type: 'string', minLength: 1, maxLength: 1000, pattern: TEXT },
  },
  required: ['card_id', 'points', 'reason'],
  additionalProperties: false,
};

export interface RedeemRequest {
  card_id: number;
  points: number;
  reference: string;
}

export const redeemSchema: JSONSchemaType<RedeemRequest> = {
  type: 'object',
  properties: {
    card_id: { type: 'integer', minimum: 1, maximum: INT4_MAX },
    points: { type: 'number', exclusiveMinimum: 0, maximum: 1e12 },
    reference: { type: 'string', minLength: 1, maxLength: 255, pattern: TEXT },
  },
  required: ['card_id', 'points', 'reference'],
  additionalProperties: false,
};

export interface ExternalOrderLine {
  product_id: number;
  qty: number;
  price_unit: number;
  discount?: number;
  tax_ids?: number[];
}

export interface ExternalOrderReward {
  reward_id: number;
  coupon_id?: number | false;
  product_id?: number | false;
}

export interface ExternalOrderRequest {
  /** The order's id in the system that sends it (web shop …): it is processed once per reference. */
  reference: string;
  partner_id: number;
  date_order?: string;
  lines: ExternalOrderLine[];
  codes?: string[];
  rewards?: ExternalOrderReward[];
  /** Another customer's referral code (trimmed, upper-cased): rewards its owner on the customer's first order. */
  referral_code_used?: string | null;
}

const idOrFalse = { anyOf: [{ type: 'integer', minimum: 1, maximum: INT4_MAX }, { const: false }] } as const;

export const externalOrderSchema: JSONSchemaType<ExternalOrderRequest> = {
  type: 'object',
  properties: {
    reference: { type: 'string', minLength: 1, maxLength: 255, pattern: TEXT },
    partner_id: { type: 'integer', minimum: 1, maximum: INT4_MAX },
    date_order: { type: 'string', nullable: true, pattern: '^\\d{4}-\\d{2}-\\d{2}( \\d{2}:\\d{2}:\\d{2})?$' },
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      items: {
        type: 'object',
        properties: {
          product_id: { type: 'integer', minimum: 1, maximum: INT4_MAX },
          qty: { type: 'number', exclusiveMinimum: 0 },
          price_unit: { type: 'number' },
          discount: { type: 'number', nullable: true, minimum: 0, maximum: 100 },
          tax_ids: { type: 'array', nullable: true, items: { type: 'integer', minimum: 1, maximum: INT4_MAX } },
        },
        required: ['product_id', 'qty', 'price_unit'],
        additionalProperties: false,
      },
    },
    codes: { type: 'array', nullable: true, maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 255, pattern: TEXT } },
    referral_code_used: { type: 'string', nullable: true, maxLength: 64, pattern: TEXT },
    rewards: {
      type: 'array',
      nullable: true,
      maxItems: 50,
      items: {
        type: 'object',
        properties: {
          reward_id: { type: 'integer', minimum: 1, maximum: INT4_MAX },
          coupon_id: idOrFalse,
          product_id: idOrFalse,
        },
        required: ['reward_id'],
        additionalProperties: false,
      },
    },
  },
  required: ['reference', 'partner_id', 'lines'],
  additionalProperties: false,
} as unknown as JSONSchemaType<ExternalOrderRequest>;

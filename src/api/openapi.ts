import { Router } from 'express';
import { earnSchema, externalOrderSchema, redeemSchema } from './schemas';

const error = { $ref: '#/components/schemas/Error' };
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const answer = (description: string, name?: string) => ({ description, ...json(name ? ref(name) : error) });

/** The errors every authenticated route may answer. */
const common = {
  401: answer('Missing or wrong credentials (header WWW-Authenticate)'),
  500: answer('Unexpected failure: logged under the X-Request-Id of the answer; the message names no SQL, stack or file'),
};
/** And the routes that take a JSON body. */
const withBody = {
  400: answer('Invalid request: malformed JSON, a field missing or out of range, or refused by a business rule (code user_error)'),
  413: answer('Body larger than MAX_BODY_BYTES'),
  ...common,
};
const idempotencyKey = {
  name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', minLength: 1, maxLength: 255 },
  description: 'A retry with the same key and body gets the first answer and changes nothing; the same key with another body is refused (422).',
};
const idParam = (what: string) => ({ name: 'id', in: 'path', required: true, description: what, schema: { type: 'integer', minimum: 1 } });
const integers = { type: 'array', items: { type: 'integer' } };
const idOrFalse = { oneOf: [{ type: 'integer' }, { type: 'boolean', enum: [false] }] };
const ledgerWrite = (summary: string, body: string, conflict: string) => ({
  post: {
    summary,
    parameters: [idempotencyKey],
    requestBody: { required: true, ...json(ref(body)) },
    responses: {
      201: answer('Written', 'LedgerAnswer'),
      403: answer('The user may not write loyalty cards (Odoo access rights)'),
      404: answer('No such card'),
      409: answer(conflict),
      422: answer('Idempotency-Key reused with another body'),
      ...withBody,
    },
  },
});

/**
 * The OpenAPI 3 description of /api/v1 (and /healthz). The earn, redeem and order bodies are
 * the very schemas ajv validates; the preview's body is checked by the code it shares with the
 * RPC method (src/models/loyalty/preview.ts), which this schema describes.
 */
export const openapiDocument = {
  openapi: '3.0.3',
  info: {
    title: 'Odoo loyalty sidecar',
    version: '1.0.0',
    description: 'Order preview, points ledger, orders and balances of Odoo 17 loyalty cards. Every answer carries X-Request-Id; errors are {error: {code, message}}.',
  },
  servers: [{ url: '/api/v1' }],
  security: [{ basic: [] }, { bearer: [] }],
  components: {
    securitySchemes: {
      basic: { type: 'http', scheme: 'basic', description: 'Odoo login and password' },
      bearer: { type: 'http', scheme: 'bearer', description: 'Odoo API key' },
    },
    schemas: {
      Error: {
        type: 'object',
        properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] } },
        required: ['error'],
      },
      EarnRequest: earnSchema,
      RedeemRequest: redeemSchema,
      ExternalOrder: externalOrderSchema,
      LedgerAnswer: {
        type: 'object',
        properties: { card_id: { type: 'integer' }, points: { type: 'number', description: 'The balance after the write' }, move_ids: integers },
      },
      PreviewRequest: {
        type: 'object',
        description: 'The same dictionary as the RPC pos.order.loyalty_preview takes.',
        properties: {
          partner_id: { ...idOrFalse, description: 'The customer (false: anonymous)' },
          date_order: { type: 'string', description: 'YYYY-MM-DD[ HH:MM:SS]: program dates are judged by it (default today)' },
          lines: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                product_id: { type: 'integer' },
                qty: { type: 'number', minimum: 0 },
                price_unit: { type: 'number' },
                discount: { type: 'number', minimum: 0, maximum: 100 },
                tax_ids: { ...integers, description: 'Default: the product\'s taxes of the user\'s company' },
              },
              required: ['product_id', 'qty', 'price_unit'],
            },
          },
          codes: { type: 'array', items: { type: 'string' }, description: 'Promotion, coupon or gift card codes' },
          rewards: {
            type: 'array',
            description: 'Rewards to claim (from claimable)',
            items: { type: 'object', properties: { reward_id: { type: 'integer' }, coupon_id: idOrFalse, product_id: idOrFalse }, required: ['reward_id'] },
          },
          channel: { type: 'string', enum: ['sale', 'pos'], description: 'Which programs: those enabled for sales (default) or for the POS' },
          referral_code_used: { type: 'string', description: 'Another customer\'s referral code (trimmed, upper-cased); unknown, own or without partner_id: 400' },
        },
        required: ['lines'],
      },
      PreviewAnswer: {
        type: 'object',
        properties: {
          lines: {
            type: 'array',
            description: 'The given lines, then the reward lines',
            items: {
              type: 'object',
              properties: {
                product_id: { type: 'integer' }, qty: { type: 'number' }, price_unit: { type: 'number' }, discount: { type: 'number' }, tax_ids: integers,
                price_subtotal: { type: 'number' }, price_total: { type: 'number' }, is_reward_line: { type: 'boolean' },
                reward_id: idOrFalse, coupon_id: idOrFalse, points_cost: { type: 'number' }, name: { type: 'string' },
              },
            },
          },
          amount_untaxed: { type: 'number' },
          amount_tax: { type: 'number' },
          amount_total: { type: 'number', description: 'Money figures are rounded to the company currency' },
          points: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                program_id: { type: 'integer' }, coupon_id: { ...idOrFalse, description: 'false: a card the order would create' },
                won: { type: 'number' }, spent: { type: 'number' }, balance_before: { type: 'number' }, balance_after: { type: 'number' },
              },
            },
          },
          claimable: { type: 'array', items: ref('Claimable') },
          claimable_after: { type: 'array', items: ref('Claimable') },
          errors: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, input: { type: 'string' } } } },
          code_results: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, ok: { type: 'boolean' } } } },
          referral: {
            type: 'object',
            description: 'Only when referral_code_used was given: what the referral would give the referrer',
            properties: {
              code: { type: 'string' },
              referrer_id: { type: 'integer' },
              first_order: { type: 'boolean', description: 'false: the customer ordered (or was referred) before: nothing' },
              rewards: {
                type: 'array',
                items: { type: 'object', properties: { program_id: { type: 'integer' }, program_name: { type: 'string' }, points: { type: 'number' } } },
              },
            },
          },
        },
      },
      Claimable: { type: 'object', properties: { reward_id: { type: 'integer' }, program_id: { type: 'integer' }, coupon_id: idOrFalse } },
      ProcessedOrder: {
        type: 'object',
        properties: {
          reference: { type: 'string', description: '/orders: the reference sent' },
          pos_order_id: { type: 'integer', description: '/pos-orders/{id}/process: the order' },
          processed: { type: 'boolean', description: 'false: processed before, nothing written now' },
          result: {
            type: 'object',
            nullable: true,
            properties: {
              kind: { type: 'string', enum: ['order', 'refund'] },
              cards: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    card_id: { type: 'integer' }, program_id: { type: 'integer' }, won: { type: 'number' }, spent: { type: 'number' },
                    balance: { type: 'number' }, created: { type: 'boolean' },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
  paths: {
    '/orders/preview': {
      post: {
        summary: 'What the loyalty engine gives an order (rewards, discounts, points): writes nothing',
        requestBody: { required: true, ...json(ref('PreviewRequest')) },
        responses: {
          200: answer('The preview', 'PreviewAnswer'),
          400: answer('Malformed order (code invalid_order: unknown product, negative quantity …) or malformed JSON'),
          422: answer('A claimed reward the order cannot take (code: the engine\'s reason)'),
          413: withBody[413],
          ...common,
        },
      },
    },
    '/orders': {
      post: {
        summary: 'An external order (web shop …): evaluated by the engine and applied to the cards, once per reference',
        parameters: [idempotencyKey],
        requestBody: { required: true, ...json(ref('ExternalOrder')) },
        responses: {
          201: answer('Processed now', 'ProcessedOrder'),
          200: answer('Already processed under this reference: the first result', 'ProcessedOrder'),
          403: answer('The user may not write loyalty cards'),
          422: answer('Idempotency-Key reused with another body'),
          ...withBody,
        },
      },
    },
    '/points/earn': ledgerWrite('Manual adjustment of a card\'s points (signed)', 'EarnRequest', 'A negative adjustment larger than the balance: nothing written'),
    '/points/redeem': ledgerWrite('Spend points of a card; the card row is locked, a short balance is refused', 'RedeemRequest', 'Not enough points: nothing written'),
    '/pos-orders/{id}/process': {
      post: {
        summary: 'Apply a paid POS order\'s points now (once: a hook, the sweep or the POS may have done it already)',
        parameters: [idParam('The pos.order id'), idempotencyKey],
        responses: {
          201: answer('Processed now', 'ProcessedOrder'),
          200: answer('Processed before: nothing written, the first result', 'ProcessedOrder'),
          400: answer('A bad id, or the order is not paid'),
          403: answer('The user may not write loyalty cards'),
          404: answer('No such order'),
          422: answer('Idempotency-Key reused with another body'),
          ...common,
        },
      },
    },
    '/cards/{id}/balance': {
      get: {
        summary: 'Points, next expiry and recent history of a card',
        parameters: [idParam('The loyalty.card id')],
        responses: {
          200: {
            description: 'The balance',
            ...json({
              type: 'object',
              properties: {
                card_id: { type: 'integer' }, program_id: { type: 'integer', nullable: true }, partner_id: { type: 'integer', nullable: true },
                code: { type: 'string' }, points: { type: 'number' },
                next_expiry: { type: 'object', nullable: true, properties: { date: { type: 'string', format: 'date' }, points: { type: 'number' } } },
                history: { type: 'array', items: { type: 'object' } },
              },
            }),
          },
          400: answer('A bad id'),
          403: answer('The user may not read loyalty cards'),
          404: answer('No such card'),
          ...common,
        },
      },
    },
    '/reports/{name}': {
      get: {
        summary: 'A report view\'s rows in a date range, streamed as CSV, JSON or xlsx, as the user may read them through execute_kw',
        description: 'promotion-result (promotion.result, refreshed hourly: see refreshed_at), promotion-result-details, pos-order-first. ' +
          'CSV and xlsx follow Odoo\'s export: a many2one is two columns, `field` (its name) and `field/.id`; JSON keeps search_read\'s rows.',
        parameters: [
          { name: 'name', in: 'path', required: true, schema: { type: 'string', enum: ['promotion-result', 'promotion-result-details', 'pos-order-first'] } },
          { name: 'from', in: 'query', description: 'First day (UTC), inclusive', schema: { type: 'string', format: 'date' } },
          { name: 'to', in: 'query', description: 'Last day (UTC), inclusive', schema: { type: 'string', format: 'date' } },
          { name: 'format', in: 'query', schema: { type: 'string', enum: ['json', 'csv', 'xlsx'], default: 'json' } },
        ],
        responses: {
          200: {
            description: 'The rows, in id order',
            content: {
              'application/json': { schema: { type: 'array', items: { type: 'object' } } },
              'text/csv': { schema: { type: 'string' } },
              'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } },
            },
          },
          400: answer('A bad date, format, range or an unknown parameter'),
          403: answer('The user may not read the report (POS users may; the multi-company rule applies)'),
          404: answer('No such report'),
          ...common,
        },
      },
    },
    '/openapi.json': {
      get: {
        summary: 'This document (no credentials needed)',
        security: [],
        responses: { 200: { description: 'The OpenAPI document', ...json({ type: 'object' }) } },
      },
    },
    '/healthz': {
      servers: [{ url: '/' }],
      get: {
        summary: 'The process is up and its database answers (no credentials needed)',
        security: [],
        responses: {
          200: {
            description: 'Up',
            ...json({
              type: 'object',
              properties: {
                status: { type: 'string', enum: ['ok'] },
                db: { type: 'string', description: 'The database name RPC clients send' },
                mode: { type: 'string', enum: ['embedded', 'standalone', 'attached'] },
                engine: { type: 'string', enum: ['pglite', 'postgres'] },
              },
            }),
          },
          503: { description: 'The database does not answer', ...json({ type: 'object', properties: { status: { type: 'string', enum: ['down'] }, error: { type: 'string' } } }) },
        },
      },
    },
  },
};

/** GET /openapi.json, served without authentication (mounted before the auth middleware). */
export function openapiRouter(): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => res.json(openapiDocument));
  return router;
}

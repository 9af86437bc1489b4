import { Router } from 'express';
import { earnSchema, externalOrderSchema, redeemSchema } from './schemas';

const error = { $ref: '#/components/schemas/Error' };
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const errors = {
  400: { description: 'Invalid request', ...json(error) },
  401: { description: 'Missing or wrong credentials', ...json(error) },
  403: { description: 'Access rights refuse it', ...json(error) },
  422: { description: 'Idempotency-Key reused with another body', ...json(error) },
};
const idempotencyKey = {
  name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 },
  description: 'A retry with the same key and body gets the first answer and changes nothing.',
};
const balanceAnswer = {
  type: 'object',
  properties: { card_id: { type: 'integer' }, points: { type: 'number' }, move_ids: { type: 'array', items: { type: 'integer' } } },
};

/** The OpenAPI 3 description of /api/v1; request bodies are the very schemas ajv validates. */
export const openapiDocument = {
  openapi: '3.0.3',
  info: { title: 'Odoo loyalty sidecar', version: '1.0.0', description: 'Points ledger, orders and balances of Odoo 17 loyalty cards.' },
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
      },
      EarnRequest: earnSchema,
      RedeemRequest: redeemSchema,
      ExternalOrder: externalOrderSchema,
    },
  },
  paths: {
    '/points/earn': {
      post: {
        summary: 'Manual adjustment of a card\'s points (signed)',
        parameters: [idempotencyKey],
        requestBody: { required: true, ...json({ $ref: '#/components/schemas/EarnRequest' }) },
        responses: { 201: { description: 'Written', ...json(balanceAnswer) }, 404: { description: 'No such card', ...json(error) }, 409: { description: 'A negative adjustment larger than the balance', ...json(error) }, ...errors },
      },
    },
    '/points/redeem': {
      post: {
        summary: 'Spend points of a card; the card row is locked, a short balance is refused',
        parameters: [idempotencyKey],
        requestBody: { required: true, ...json({ $ref: '#/components/schemas/RedeemRequest' }) },
        responses: { 201: { description: 'Written', ...json(balanceAnswer) }, 404: { description: 'No such card', ...json(error) }, 409: { description: 'Not enough points: nothing written', ...json(error) }, ...errors },
      },
    },
    '/orders': {
      post: {
        summary: 'An external order (web shop …): evaluated by the engine and applied to the cards, once per reference',
        parameters: [idempotencyKey],
        requestBody: { required: true, ...json({ $ref: '#/components/schemas/ExternalOrder' }) },
        responses: {
          201: { description: 'Processed now', ...json({ type: 'object' }) },
          200: { description: 'Already processed under this reference: the first result', ...json({ type: 'object' }) },
          ...errors,
        },
      },
    },
    '/pos-orders/{id}/process': {
      post: {
        summary: 'Apply a paid POS order\'s points now (once: a hook, the sweep or the POS may have done it already)',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }, idempotencyKey],
        responses: {
          201: { description: 'Processed now', ...json({ type: 'object' }) },
          200: { description: 'Processed before: nothing written, the first result', ...json({ type: 'object' }) },
          400: { description: 'The order is not paid', ...json(error) },
          404: { description: 'No such order', ...json(error) },
          401: errors[401],
          403: errors[403],
        },
      },
    },
    '/cards/{id}/balance': {
      get: {
        summary: 'Points, next expiry and recent history of a card',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
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
          404: { description: 'No such card', ...json(error) },
          401: errors[401],
          403: errors[403],
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

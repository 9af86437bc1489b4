import { InsufficientPoints } from '../ledger/errors';
import { AccessError, MissingError, UserError } from '../errors';
import { ApiError } from './errors';

/**
 * The REST face of Odoo-style errors: short balance 409, missing record 404, access rights or
 * record rules 403 (Odoo's AccessError text), other refusals 400.
 */
export function asApiError(err: unknown): unknown {
  if (err instanceof InsufficientPoints) return new ApiError(409, 'insufficient_points', err.message);
  if (err instanceof MissingError) return new ApiError(404, 'not_found', err.message.split('\n')[0]);
  if (err instanceof AccessError) return new ApiError(403, 'access_error', err.message);
  if (err instanceof UserError) return new ApiError(400, 'user_error', err.message);
  return err;
}

import { InsufficientPoints } from '../ledger/errors';
import { MissingError, UserError } from '../errors';
import { ApiError } from './errors';

/** The REST face of the ledger's Odoo-style errors: short balance 409, missing card 404, other refusals 400. */
export function asApiError(err: unknown): unknown {
  if (err instanceof InsufficientPoints) return new ApiError(409, 'insufficient_points', err.message);
  if (err instanceof MissingError) return new ApiError(404, 'not_found', err.message.split('\n')[0]);
  if (err instanceof UserError) return new ApiError(400, 'user_error', err.message);
  return err;
}

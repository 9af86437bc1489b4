import { Knex } from 'knex';
import { AppContext } from '../context';
import { AccessError } from '../errors';
import { checkAccessRights, Operation } from '../orm/access';
import { ApiError } from './errors';

/**
 * REST writes go through Odoo's access rights like RPC calls (the ORM's check_access_rights):
 * a portal user cannot move points. Refused: 403 with Odoo's AccessError text.
 */
export async function requireAccess(ctx: AppContext, uid: number, model: string, op: Operation): Promise<void> {
  try {
    await checkAccessRights({ cr: ctx.db.knex as Knex.Transaction, uid, context: {}, app: ctx }, model, op);
  } catch (err) {
    if (err instanceof AccessError) throw new ApiError(403, 'access_error', err.message);
    throw err;
  }
}

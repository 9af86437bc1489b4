import { Knex } from 'knex';
import { ApiError } from './errors';

type Perm = 'read' | 'write' | 'create' | 'unlink';

/**
 * Whether Odoo's access rights (ir_model_access, through the user's groups and the groups
 * they imply) let `uid` do `perm` on `model`. REST writes go through the same rights as RPC:
 * a portal user cannot move points.
 * TODO(orm): use the ORM's access module once it lands, and drop this one.
 */
export async function userMay(db: Knex, uid: number, model: string, perm: Perm): Promise<boolean> {
  const row = (await db.raw(`
    WITH RECURSIVE groups(gid) AS (
      SELECT gid FROM res_groups_users_rel WHERE uid = ?
      UNION SELECT r.hid FROM res_groups_implied_rel r JOIN groups g ON r.gid = g.gid
    )
    SELECT EXISTS (
      SELECT 1 FROM ir_model_access a JOIN ir_model m ON m.id = a.model_id
       WHERE m.model = ? AND a.active AND a.perm_${perm}
         AND (a.group_id IS NULL OR a.group_id IN (SELECT gid FROM groups))
    ) AS ok`, [uid, model])).rows[0];
  return row.ok === true;
}

export async function requireAccess(db: Knex, uid: number, model: string, perm: Perm): Promise<void> {
  if (!(await userMay(db, uid, model, perm))) {
    throw new ApiError(403, 'access_error', `You are not allowed to ${perm === 'read' ? 'access' : 'modify'} '${model}' records.`);
  }
}

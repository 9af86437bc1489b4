import { Knex } from 'knex';
import { PointsRow } from './types';

/**
 * A POS order only earns from the programs of its point of sale: a program listing
 * pos_config_ids is available to those points of sale only, one listing none to every one
 * (Odoo 17's pos.config._get_program_ids). Rows of other programs are dropped.
 */
export async function onlyPosConfigPrograms(cr: Knex, posOrderId: number, rows: PointsRow[]): Promise<PointsRow[]> {
  const ids = [...new Set(rows.map((r) => r.programId))];
  if (!ids.length) return rows;
  const refused = new Set((await cr.raw(`
    SELECT r.loyalty_program_id AS id FROM loyalty_program_pos_config_rel r JOIN pos_order o ON o.id = ?
     WHERE r.loyalty_program_id = ANY(?) GROUP BY r.loyalty_program_id HAVING NOT bool_or(r.pos_config_id = o.config_id)`,
  [posOrderId, ids])).rows.map((r: { id: number }) => r.id));
  return refused.size ? rows.filter((r) => !refused.has(r.programId)) : rows;
}

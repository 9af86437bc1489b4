import { PointsRow } from './types';

/**
 * A POS order only earns from the programs of its point of sale: a program listing
 * pos_config_ids is available to those points of sale only, one listing none to every one
 * (Odoo 17's pos.config._get_program_ids). Rows of other programs are dropped;
 * `otherConfigPrograms` is read with the order (claimPosOrders).
 */
export function onlyPosConfigPrograms(rows: PointsRow[], otherConfigPrograms: Set<number>): PointsRow[] {
  return otherConfigPrograms.size ? rows.filter((r) => !otherConfigPrograms.has(r.programId)) : rows;
}

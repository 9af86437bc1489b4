import { HookTable, RecordHook } from './hook-table';

/**
 * Odoo's @api.constrains, for the models the sidecar writes: `constrains(model, fields, check)`
 * runs `check` after a create, or after a write of one of `fields`, once the stored computes
 * are in step. A check throws a ValidationError (or UserError, as the Odoo model does); the
 * call's transaction then rolls back, so nothing of the create or write remains.
 */
const table = new HookTable();

export function constrains(model: string, fields: string[], check: RecordHook): void {
  table.add(model, fields, check);
}

export const runConstraints = table.run.bind(table);

import { HookTable, RecordHook } from './hook-table';
export type { WriteEvent, RecordHook } from './hook-table';

/**
 * Stored computed columns that Odoo keeps in step on create and write (DESIGN decision 1:
 * Odoo will not recompute a column for a row it did not write, so the sidecar must).
 *
 * A model file registers `afterWrite(model, fields, hook)`: the hook runs inside the call's
 * transaction for the records created (always) or written with one of `fields` ('*': any),
 * after their columns and x2many commands are stored and before the constraints are checked.
 * A hook that changes other records goes through the ORM's write and so triggers their hooks.
 */
const table = new HookTable();

export function afterWrite(model: string, fields: string[] | '*', hook: RecordHook): void {
  table.add(model, fields, hook);
}

export const runComputes = table.run.bind(table);

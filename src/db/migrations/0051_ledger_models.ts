import { Knex } from 'knex';

/**
 * Used to describe the ledger's tables as Odoo models in ir_model / ir_model_fields, without a
 * module behind the rows, which Odoo cannot load (0145_registry_rows removes them where this
 * ran). The sidecar now serves those models from src/orm/builtin-models.ts, and the bridge
 * addon registers them in Odoo when it is installed. Kept, empty, so that databases that
 * recorded it stay in step.
 */
export async function up(_db: Knex): Promise<void> {
  // Nothing: see above.
}

export async function down(): Promise<void> {
  // Nothing to undo.
}

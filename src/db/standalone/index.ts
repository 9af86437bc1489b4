import { Knex } from 'knex';

/**
 * Creates the Odoo 17 subset of tables the sidecar uses in an empty database, exactly as
 * Odoo 17 creates them, plus the ir_model* rows describing them.
 * TODO(foundation): schema from shared/odoo17/schema-core.sql.
 */
export async function createStandaloneSchema(_db: Knex): Promise<void> {
  throw new Error('standalone schema not built yet');
}

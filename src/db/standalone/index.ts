import { Knex } from 'knex';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runSqlScript } from '../script';

/**
 * Creates, in an empty database, the Odoo 17 tables the sidecar uses exactly as Odoo 17 creates
 * them, and the rows Odoo has before any business data (ir_model* rows describing those tables,
 * groups, access rights, record rules, languages, currencies, the company, __system__).
 * Both files are generated from the recorded dump by scripts/gen-standalone.ts; tables.json
 * says which tables are complete and which are stubs, and why.
 */
export async function createStandaloneSchema(trx: Knex.Transaction): Promise<void> {
  for (const file of ['schema.sql', 'base-data.sql']) {
    await runSqlScript(trx, readFileSync(path.join(__dirname, file), 'utf8'));
  }
}

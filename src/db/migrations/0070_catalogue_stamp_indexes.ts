import { Knex } from 'knex';

/**
 * The engine's cached catalogue is rebuilt when the tables behind it change, which every
 * request checks (models/loyalty/load.ts). For the product tables, which a retailer fills
 * with tens of thousands of rows, that check is max(write_date): with these indexes it reads
 * one index entry instead of the whole table. The sidecar's own (prefixed) indexes, safe on a
 * live Odoo database.
 */
const TABLES = ['product_template', 'product_product'];

export async function up(db: Knex): Promise<void> {
  for (const table of TABLES) {
    if (!(await db.schema.hasTable(table))) continue;
    await db.raw(`create index if not exists ${table}__sidecar_write_date_index on ${table} (write_date)`);
  }
}

export async function down(db: Knex): Promise<void> {
  for (const table of TABLES) await db.raw(`drop index if exists ${table}__sidecar_write_date_index`);
}

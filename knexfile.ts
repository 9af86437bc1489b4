/**
 * Knex CLI configuration (`npx knex --knexfile knexfile.ts migrate:status`). The service
 * itself migrates through src/db/migrate.ts with the same settings.
 */
import type { Knex } from 'knex';
import { migrationConfig } from './src/db/migrations';

const config: Knex.Config = {
  client: 'pg',
  connection: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  migrations: migrationConfig,
};

export default config;
module.exports = config;

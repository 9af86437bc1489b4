import { Knex } from 'knex';

interface SimpleQueryConnection {
  /** pg.Client: a query without parameters goes through the simple protocol (many statements). */
  query?(sql: string): Promise<unknown>;
  /** PGlite: runs many statements. */
  exec?(sql: string): Promise<unknown>;
}

/**
 * Runs a SQL script of many statements inside the given transaction. Not through knex.raw:
 * knex rewrites every "?" into a bind parameter, and data texts contain question marks. The
 * transaction's own connection is used, so the script commits or rolls back with it.
 */
export async function runSqlScript(trx: Knex.Transaction, sql: string): Promise<void> {
  const conn = (await trx.client.acquireConnection()) as SimpleQueryConnection;
  if (typeof conn.exec === 'function') await conn.exec(sql);
  else await conn.query!(sql);
}

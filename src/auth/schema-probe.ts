/**
 * What the database at hand has: standalone databases carry only a subset of Odoo's tables,
 * and Odoo versions differ in columns (res_users_apikeys.expiration_date came after 17.0).
 * Answers are cached per connection pool: the schema does not change under a running sidecar.
 */
import { Knex } from 'knex';

const cache = new WeakMap<Knex, Map<string, Promise<boolean>>>();

function probe(db: Knex, key: string, sql: string, bindings: string[]): Promise<boolean> {
  let perDb = cache.get(db);
  if (!perDb) cache.set(db, (perDb = new Map()));
  let answer = perDb.get(key);
  if (!answer) {
    answer = db.raw(sql, bindings).then((r: { rows: unknown[] }) => r.rows.length > 0);
    answer.catch(() => perDb!.delete(key));
    perDb.set(key, answer);
  }
  return answer;
}

export const hasTable = (db: Knex, table: string) =>
  probe(db, `t:${table}`, `select 1 from information_schema.tables where table_schema = current_schema() and table_name = ?`, [table]);

export const hasColumn = (db: Knex, table: string, column: string) =>
  probe(db, `c:${table}.${column}`, `select 1 from information_schema.columns where table_schema = current_schema() and table_name = ? and column_name = ?`, [table, column]);

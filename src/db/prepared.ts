/**
 * Hot read statements as node-postgres named prepared statements: PostgreSQL parses and plans
 * a statement once per connection instead of on every call (for the ORM's small reads and the
 * loyalty loader's request statement, planning costs a third of running them), and the call
 * skips knex's query builder and pool bookkeeping.
 *
 * Text comes as knex.raw takes it (`?` placeholders, every value bound) and behaves the same:
 * on a transaction it runs on the transaction's connection, observers of knex's 'query' event
 * see it, and errors are pg's own. At most MAX_NAMED distinct texts are ever named (each costs
 * a plan cache entry on every pooled connection); others run unnamed. PGlite (one session, no
 * node-postgres driver behind it): plain knex.raw.
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Knex } from 'knex';
import { Query } from 'pg';

/** How many distinct texts are named at most, ever, in one process. */
export const MAX_NAMED = 500;

interface Statement {
  /** The text with $n placeholders. */
  text: string;
  /** null once MAX_NAMED texts are named. */
  name: string | null;
}

type PgConnection = { query(query: Query, callback: (err: Error | null, result: { rows: unknown[] }) => void): void };
type KnexClient = EventEmitter & { driver?: { Query?: unknown }; acquireConnection(): Promise<unknown>; releaseConnection(c: unknown): Promise<unknown> };

const statements = new Map<string, Statement>();
let named = 0;

function statementOf(sql: string): Statement {
  let s = statements.get(sql);
  if (!s) {
    let n = 0;
    // As knex does for raw text: `?` is a placeholder, `\?` a literal question mark.
    const text = sql.replace(/\\\?|\?/g, (m) => (m === '?' ? `$${++n}` : '?'));
    const name = named < MAX_NAMED ? 'sidecar_' + createHash('sha1').update(sql).digest('hex').slice(0, 20) : null;
    if (name) named++;
    s = { text, name };
    if (statements.size < 4 * MAX_NAMED) statements.set(sql, s);
  }
  return s;
}

/** `db.raw(sql, bindings).rows`, prepared once per connection. */
export async function preparedQuery<T = Record<string, unknown>>(db: Knex, sql: string, bindings: readonly unknown[]): Promise<T[]> {
  const client = db.client as unknown as KnexClient;
  // The driver module, not knex's driverName: knex-pglite's client calls itself 'pg' too, but
  // its connection is a PGlite instance, which takes no pg Query.
  if (client.driver?.Query !== Query) return (await db.raw(sql, bindings as Knex.RawBinding[])).rows;
  const { text, name } = statementOf(sql);
  client.emit('query', { method: 'raw', sql, bindings });
  const conn = (await client.acquireConnection()) as PgConnection;
  try {
    return (await submit(conn, text, name, bindings as unknown[])) as T[];
  } finally {
    await client.releaseConnection(conn);
  }
}

/**
 * One statement on a pg connection. The Query is made from the text, not from a config
 * object: pg copies a config object property by property on every call, and wraps its
 * promise in a second one; this runs on every ORM read.
 */
function submit(conn: PgConnection, text: string, name: string | null, values: unknown[]): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const query = new Query(text, values);
    if (name) (query as Query & { name?: string }).name = name;
    conn.query(query, (err, result) => (err ? reject(err) : resolve(result.rows)));
  });
}

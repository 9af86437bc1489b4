import { Config } from './config';
import { Database } from './db/connection';
import { DbMode } from './db/mode';
import { UpstreamOdoo } from './upstream/client';
import { Lifecycle } from './lifecycle';

/** What every part of the running service shares: configuration and the database. */
export interface AppContext {
  config: Config;
  db: Database;
  mode: DbMode;
  /** The database name RPC clients send (Odoo's "db"): ODOO_DB or the PostgreSQL database's name. */
  dbName: string;
  /** The real Odoo that calls the sidecar does not serve are forwarded to (ODOO_URL), if any. */
  upstream?: UpstreamOdoo;
  /** Draining and work in flight (graceful shutdown, /readyz). */
  lifecycle: Lifecycle;
}

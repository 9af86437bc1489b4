/**
 * Test databases on a real PostgreSQL server.
 *
 * Each Odoo dump is restored once into a template database (named after the dump's hash, so
 * a new dump gets a new template); every test suite then gets its own copy with
 * CREATE DATABASE … TEMPLATE …, which takes a fraction of a second.
 */
import { Client } from 'pg';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The recorded Odoo 17 data: ODOO17_SHARED when set, else `../shared/odoo17` beside the
 * checkout, else beside the checkout this one was cloned from (a clean clone made in a
 * temporary folder, as CI does, still finds it).
 */
function sharedDir(): string {
  const root = path.resolve(__dirname, '../..');
  const beside = path.resolve(root, '../shared/odoo17');
  const candidates = [process.env.ODOO17_SHARED, beside];
  try {
    const origin = execFileSync('git', ['-C', root, 'config', '--get', 'remote.origin.url'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    // A local path (not a URL, not host:path): its parent may hold shared/.
    if (origin && !/^[a-z][a-z0-9+.-]*:/i.test(origin)) candidates.push(path.resolve(root, origin, '../shared/odoo17'));
  } catch {
    // not a git checkout, or no origin
  }
  return candidates.find((c): c is string => !!c && existsSync(c)) ?? beside;
}

export const SHARED = sharedDir();

/** Which database a test starts from. */
export type Template = 'odoo17' | 'engine' | 'empty';

const DUMPS: Record<Exclude<Template, 'empty'>, string> = {
  odoo17: path.join(SHARED, 'odoo17-demo.sql.gz'),
  engine: path.join(SHARED, 'engine-db.sql.gz'),
};

/** URL of the server's maintenance database: TEST_DATABASE_URL, else PG* variables, else 127.0.0.1:5432. */
export function adminUrl(): string {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
  const host = process.env.PGHOST ?? '127.0.0.1';
  const port = process.env.PGPORT ?? '5432';
  const user = process.env.PGUSER ?? 'postgres';
  const password = process.env.PGPASSWORD ? ':' + encodeURIComponent(process.env.PGPASSWORD) : '';
  const db = process.env.PGDATABASE ?? 'postgres';
  return `postgres://${encodeURIComponent(user)}${password}@${host}:${port}/${db}`;
}

/** The URL of another database on the same server. */
export function urlFor(dbName: string): string {
  const u = new URL(adminUrl());
  u.pathname = '/' + dbName;
  return u.toString();
}

/** Whether a PostgreSQL server accepts a connection at url (within 3 s). */
export async function probeServer(url: string): Promise<boolean> {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

let reachable: boolean | undefined;
/**
 * Whether the test server answers; when none does, tests fall back to PGlite and say so
 * (test/helpers/standalone.ts gives such tests their database).
 */
export async function serverReachable(): Promise<boolean> {
  if (reachable !== undefined) return reachable;
  reachable = await probeServer(adminUrl());
  if (!reachable) {
    process.stderr.write(`NOTE: no PostgreSQL at ${adminUrl()}: tests that can run on PGlite use it, the others are skipped\n`);
  }
  return reachable;
}

/** Runs fn on a connection to the server's maintenance database (creating and dropping databases). */
export async function withAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const ident = (name: string) => '"' + name.replace(/"/g, '""') + '"';

function restoreDump(file: string, dbName: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', 'gunzip -c "$0" | psql -X -q -v ON_ERROR_STOP=1 -d "$1" >/dev/null', file, urlFor(dbName)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`restore of ${file} failed: ${stderr}`))));
  });
}

const templateNames = new Map<Template, string>();

/** Name of the template database for a dump, restoring it first if this server lacks it. */
export async function ensureTemplate(kind: Template): Promise<string | null> {
  if (kind === 'empty') return null;
  const cached = templateNames.get(kind);
  if (cached) return cached;
  const file = DUMPS[kind];
  if (!existsSync(file)) throw new Error(`missing ${file}: the shared Odoo 17 corpus must sit beside the project`);
  const hash = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 12);
  const name = `sidecar_tpl_${kind}_${hash}`;
  await withAdmin(async (c) => {
    // One process restores; the others wait on the lock, then find the template there.
    await c.query('select pg_advisory_lock(hashtext($1))', [name]);
    try {
      const exists = await c.query('select 1 from pg_database where datname = $1', [name]);
      if (exists.rowCount) return;
      const building = name + '_building';
      await c.query(`drop database if exists ${ident(building)}`);
      await c.query(`create database ${ident(building)}`);
      await restoreDump(file, building);
      await c.query(`alter database ${ident(building)} rename to ${ident(name)}`);
      await c.query(`alter database ${ident(name)} is_template true`);
    } finally {
      await c.query('select pg_advisory_unlock(hashtext($1))', [name]);
    }
  });
  templateNames.set(kind, name);
  return name;
}

let counter = 0;

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A new database of its own for one suite: a copy of the template, or empty. */
export async function freshDatabase(kind: Template): Promise<TestDatabase> {
  const template = await ensureTemplate(kind);
  const name = `sidecar_test_${process.pid}_${++counter}_${kind}`;
  await withAdmin(async (c) => {
    await c.query(`drop database if exists ${ident(name)}`);
    // CREATE DATABASE … TEMPLATE fails while another session is connected to the template:
    // nobody connects to templates, but retry briefly in case a restore is just finishing.
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`create database ${ident(name)}` + (template ? ` template ${ident(template)}` : ''));
        break;
      } catch (err) {
        if (attempt >= 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  });
  return {
    name,
    url: urlFor(name),
    drop: () => withAdmin(async (c) => {
      await c.query(`drop database if exists ${ident(name)} with (force)`);
    }),
  };
}

/** Drops test databases left behind by test processes that are no longer running. */
export async function dropStaleTestDatabases(): Promise<void> {
  await withAdmin(async (c) => {
    const rows = (await c.query(`select datname from pg_database where datname like 'sidecar_test_%'`)).rows;
    for (const { datname } of rows) {
      const pid = Number(/^sidecar_test_(\d+)_/.exec(datname)?.[1]);
      let alive = false;
      try {
        process.kill(pid, 0);
        alive = true;
      } catch {
        alive = false;
      }
      if (!alive) await c.query(`drop database if exists ${ident(datname)} with (force)`);
    }
  });
}

/**
 * A real Odoo 17 server for the tests that involve Odoo itself (the bridge addon, hooks, crons,
 * QWeb reports, Odoo reading what the sidecar wrote, the upstream proxy).
 *
 * Odoo's source is never part of this repository: it is an export of Odoo 17.0 on the machine
 * (ODOO17_SRC, default /opt/odoo17; ../shared/odoo17-server/README.md says how to get it). The
 * servers are started by the scripts of ../shared/odoo17-server (run.sh, install.sh, stop.sh),
 * with Debian's python3. When the source is absent, `describeOdoo` skips its suite and says so
 * in one line.
 *
 * Databases: the recorded dump is restored once, as Odoo's own role (DB_ROLE, default odoo_h:
 * Odoo 17 refuses to run as `postgres`), into a template; each test gets its own copy with
 * CREATE DATABASE … TEMPLATE …, owned by that role, as a restore by run.sh would be.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { adminUrl, SHARED, urlFor, withAdmin } from './pg';
import { freePort } from './process';

/** The exported Odoo 17 tree. */
export const ODOO_SRC = process.env.ODOO17_SRC ?? process.env.ODOO_SRC ?? '/opt/odoo17';
/** The scripts that run it (../shared/odoo17-server). */
export const ODOO_SCRIPTS = path.resolve(SHARED, '../odoo17-server');
/** Odoo's database role: it owns the restored databases, as in production. */
export const ODOO_ROLE = process.env.DB_ROLE ?? 'odoo_h';
/** Logs, pid files and Odoo's data dir. */
export const ODOO_RUN_DIR = process.env.ODOO_RUN_DIR ?? '/tmp/odoo17-run-tests';
/** The bridge addon's parent folder, for --addons-path. */
export const BRIDGE_ADDONS = path.resolve(__dirname, '../../addons-bridge');

/** The default extra addons path: the bridge addon's folder once it holds a module (Odoo refuses a folder with none). */
function defaultAddons(): string[] {
  const holdsModule = existsSync(BRIDGE_ADDONS) && readdirSync(BRIDGE_ADDONS).some((d) => existsSync(path.join(BRIDGE_ADDONS, d, '__manifest__.py')));
  return holdsModule ? [BRIDGE_ADDONS] : [];
}

let availability: string | null | undefined;
/** null when a real Odoo can run here, else the reason it cannot (one line). */
export function odooUnavailable(): string | null {
  if (availability !== undefined) return availability;
  if (!existsSync(path.join(ODOO_SRC, 'odoo-bin'))) {
    availability = `no Odoo 17 source at ${ODOO_SRC} (set ODOO17_SRC; ../shared/odoo17-server/README.md says how to export it)`;
  } else if (!existsSync(path.join(ODOO_SCRIPTS, 'run.sh'))) {
    availability = `no ${ODOO_SCRIPTS}/run.sh (the shared Odoo 17 server scripts)`;
  } else {
    availability = null;
  }
  return availability;
}

let skipNoticeShown = false;
/**
 * describe() for suites that need a real Odoo: skipped, with one clear line on stderr, when
 * Odoo's source is not on the machine.
 */
export function describeOdoo(title: string, fn: (this: Mocha.Suite) => void): Mocha.Suite | void {
  const reason = odooUnavailable();
  if (reason) {
    if (!skipNoticeShown) {
      process.stderr.write(`SKIP real-Odoo 17 tests: ${reason}\n`);
      skipNoticeShown = true;
    }
    return describe.skip(`${title} (needs a real Odoo 17)`, fn);
  }
  return describe(title, function (this: Mocha.Suite) {
    this.timeout(600_000);
    fn.call(this);
  });
}

function scriptEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const u = new URL(adminUrl());
  u.pathname = '';
  return {
    ...process.env,
    ODOO_SRC,
    PG: u.toString().replace(/\/$/, ''),
    DB_ROLE: ODOO_ROLE,
    RUN_DIR: ODOO_RUN_DIR,
    ...extra,
  };
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(new Error(`${path.basename(file)} ${args.join(' ')} failed: ${err.message}\n${stderr.slice(-4000)}`), { stdout, stderr }));
      else resolve({ stdout, stderr });
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

const ident = (name: string) => '"' + name.replace(/"/g, '""') + '"';


/** Creates Odoo's role when missing (login, createdb, as run.sh does). */
async function ensureRole(c: Client): Promise<void> {
  await c.query(`do $$ begin if not exists (select from pg_roles where rolname = '${ODOO_ROLE.replace(/'/g, "''")}')
    then create role ${ident(ODOO_ROLE)} login createdb; end if; end $$`);
}

let templateName: string | undefined;
/** The template database: the recorded dump restored once as Odoo's role. */
async function odooTemplate(): Promise<string> {
  if (templateName) return templateName;
  const dump = path.join(SHARED, 'odoo17-demo.sql.gz');
  const hash = createHash('sha256').update(readFileSync(dump)).digest('hex').slice(0, 12);
  const name = `sidecar_tpl_odoorole_${hash}`;
  await withAdmin(async (c) => {
    await c.query('select pg_advisory_lock(hashtext($1))', [name]);
    try {
      await ensureRole(c);
      if ((await c.query('select 1 from pg_database where datname = $1', [name])).rowCount) return;
      const building = name + '_building';
      await c.query(`drop database if exists ${ident(building)} with (force)`);
      await c.query(`create database ${ident(building)} owner ${ident(ODOO_ROLE)}`);
      const u = new URL(urlFor(building));
      u.username = ODOO_ROLE;
      u.password = '';
      await new Promise<void>((resolve, reject) => {
        const child = spawn('sh', ['-c', 'gunzip -c "$0" | psql -X -q -v ON_ERROR_STOP=1 -d "$1" >/dev/null', dump, u.toString()], { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d) => (err += d));
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`restore as ${ODOO_ROLE} failed: ${err}`))));
      });
      await c.query(`alter database ${ident(building)} rename to ${ident(name)}`);
      await c.query(`alter database ${ident(name)} is_template true`);
    } finally {
      await c.query('select pg_advisory_unlock(hashtext($1))', [name]);
    }
  });
  templateName = name;
  return name;
}

let counter = 0;

export interface OdooDatabase {
  name: string;
  /** A superuser URL of the database (what the tests read it with). */
  url: string;
  /** The URL as Odoo's own role. */
  roleUrl: string;
  drop(): Promise<void>;
}

/** A fresh copy of the recorded dump, owned by Odoo's role, for one suite. */
export async function freshOdooDatabase(): Promise<OdooDatabase> {
  const template = await odooTemplate();
  const name = `sidecar_test_${process.pid}_${++counter}_odoo`;
  await withAdmin(async (c) => {
    await c.query(`drop database if exists ${ident(name)} with (force)`);
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`create database ${ident(name)} template ${ident(template)} owner ${ident(ODOO_ROLE)}`);
        break;
      } catch (err) {
        if (attempt >= 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  });
  const role = new URL(urlFor(name));
  role.username = ODOO_ROLE;
  role.password = '';
  return {
    name,
    url: urlFor(name),
    roleUrl: role.toString(),
    drop: () => withAdmin(async (c) => void (await c.query(`drop database if exists ${ident(name)} with (force)`))),
  };
}

export interface OdooOptions {
  /** Extra addons folders (default: the bridge addon's parent). */
  addons?: string[];
  /** More odoo-bin options, e.g. ['--max-cron-threads', '1']. */
  args?: string[];
  /** Extra environment for Odoo (e.g. what the addon reads). */
  env?: Record<string, string>;
}

/**
 * Installs (or with update, upgrades) comma-separated modules into db with
 * `odoo-bin -i/-u … --stop-after-init` (no server may run on db meanwhile). Returns the log
 * lines Odoo printed (level warn and above by default) and the time taken.
 */
export async function installModules(db: string, modules: string, options: OdooOptions & { update?: boolean; logLevel?: string } = {}): Promise<{ output: string; ms: number }> {
  const started = Date.now();
  const addons = (options.addons ?? defaultAddons()).join(',');
  const { stdout, stderr } = await run(path.join(ODOO_SCRIPTS, 'install.sh'), [db, modules], scriptEnv({
    ADDONS: addons,
    UPDATE: options.update ? '1' : undefined,
    LOG_LEVEL: options.logLevel ?? 'warn',
    ...options.env,
  }));
  return { output: stdout + stderr, ms: Date.now() - started };
}

/** One call of Odoo's /jsonrpc at url: its result, or an Error carrying Odoo's error as `odoo`. */
export async function odooJsonRpc(url: string, service: string, method: string, args: unknown[]): Promise<unknown> {
  const res = await fetch(`${url}/jsonrpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: 1 }),
  });
  const body = (await res.json()) as { result?: unknown; error?: { data?: { name?: string; message?: string } } };
  if (body.error) throw Object.assign(new Error(`${body.error.data?.name}: ${body.error.data?.message}`), { odoo: body.error });
  return body.result;
}

export interface OdooServer {
  db: string;
  port: number;
  url: string;
  pid: number;
  logFile: string;
  /** Odoo's log since the server started (or since `mark()`). */
  log(): string;
  /** Remembers the log's current end: log() then returns only what comes after. */
  mark(): void;
  /** execute_kw over Odoo's own JSON-RPC as login/password (admin/admin by default). */
  call<T = unknown>(model: string, method: string, args?: unknown[], kwargs?: Record<string, unknown>, user?: { login: string; password: string }): Promise<T>;
  /** common.authenticate. */
  uid(login?: string, password?: string): Promise<number | false>;
  stop(): Promise<void>;
}

/**
 * Starts a real Odoo 17 on db (which must exist: freshOdooDatabase) with run.sh, on a free
 * port, and waits until it answers. Crons stay off unless options.args turns them on.
 */
export async function startOdoo(db: string, options: OdooOptions = {}): Promise<OdooServer> {
  const port = await freePort();
  const addons = (options.addons ?? defaultAddons()).join(',');
  const env = scriptEnv({ ADDONS: addons, ODOO_ARGS: (options.args ?? []).join(' '), ...options.env });
  const { stdout } = await run(path.join(ODOO_SCRIPTS, 'run.sh'), [db, String(port)], env);
  const pid = Number(stdout.trim().split('\n').pop());
  const logFile = path.join(ODOO_RUN_DIR, `${db}.log`);
  let from = 0;
  const url = `http://127.0.0.1:${port}`;
  const uids = new Map<string, number>();
  const jsonrpc = (service: string, method: string, args: unknown[]) => odooJsonRpc(url, service, method, args);
  const server: OdooServer = {
    db,
    port,
    url,
    pid,
    logFile,
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(from) : ''),
    mark: () => {
      from = existsSync(logFile) ? statSync(logFile).size : 0;
    },
    uid: async (login = 'admin', password = 'admin') => (await jsonrpc('common', 'authenticate', [db, login, password, {}])) as number | false,
    call: async <T>(model: string, method: string, args: unknown[] = [], kwargs: Record<string, unknown> = {}, user = { login: 'admin', password: 'admin' }) => {
      let uid = uids.get(user.login);
      if (uid === undefined) {
        const got = await server.uid(user.login, user.password);
        if (!got) throw new Error(`Odoo refused ${user.login}`);
        uids.set(user.login, (uid = got));
      }
      return (await jsonrpc('object', 'execute_kw', [db, uid, user.password, model, method, args, kwargs])) as T;
    },
    stop: async () => {
      await run(path.join(ODOO_SCRIPTS, 'stop.sh'), [db], scriptEnv()).catch(() => undefined);
    },
  };
  return server;
}

/**
 * Runs Python in `odoo-bin shell` on db (env is bound; commit with env.cr.commit()) and
 * returns what it printed. No server may hold db's registry in a state that matters.
 */
export async function odooShell(db: string, code: string, options: OdooOptions = {}): Promise<string> {
  const addons = [path.join(ODOO_SRC, 'addons'), path.join(ODOO_SRC, 'odoo/addons'), ...(options.addons ?? defaultAddons())].join(',');
  const u = new URL(adminUrl());
  const args = [path.join(ODOO_SRC, 'odoo-bin'), 'shell', `--addons-path=${addons}`, '-d', db,
    '--db_host', u.hostname, '--db_port', u.port || '5432', '--db_user', ODOO_ROLE,
    '--data-dir', path.join(ODOO_RUN_DIR, 'data'), '--no-http', '--log-level', 'warn', ...(options.args ?? [])];
  const { stdout } = await run('/usr/bin/python3', args, { ...process.env, ...options.env }, code);
  return stdout;
}

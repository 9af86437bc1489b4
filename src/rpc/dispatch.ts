/**
 * Odoo's RPC services (odoo/http.py dispatch_rpc and odoo/service/{common,db,model}.py):
 * service.method(*params) → a plain value, or a thrown Odoo error. Shared by XML-RPC
 * (/xmlrpc/2/<service>, /xmlrpc/<service>) and JSON-RPC (/jsonrpc); the transports only
 * decode, call this, and encode.
 *
 * The ORM (executeKw) owns model-level errors; this file owns the service level: unknown
 * service (KeyError), unknown method, execute_kw's own arity, the uid coercion, credentials.
 */
import { AppContext } from '../context';
import { AccessDenied, PythonError, UserError, typeError, keyError } from '../errors';
import { authenticate, checkUid } from '../auth/credentials';
import { executeKw } from '../orm/call';
import { checkArity } from './arity';
import { pyInt, pyTypeName } from './values';
import { servesCall } from '../orm/serves';
import { noteRequest } from '../request-context';

export const SERVER_VERSION = '17.0';

export function versionInfo() {
  return {
    server_version: SERVER_VERSION,
    server_version_info: [17, 0, 0, 'final', 0, ''],
    server_serie: SERVER_VERSION,
    protocol_version: 1,
  };
}

/** What the transport knows about the caller. */
export interface CallerInfo {
  remoteAddr?: string;
  /** XML-RPC hands the service a tuple, JSON-RPC a list: Python's IndexError names which. */
  paramsKind?: 'tuple' | 'list';
  /**
   * With an upstream Odoo (ODOO_URL): forwards this request, once its credentials are checked,
   * when it calls a model or method the sidecar does not serve; the answer is the transport's.
   */
  forward?: (model: string, method: string) => Promise<unknown>;
}

type Service = (ctx: AppContext, method: string, params: unknown[], caller: CallerInfo) => Promise<unknown>;

/** A database name this sidecar serves; anything else fails as connecting to a missing database would. */
function assertDatabase(ctx: AppContext, db: unknown): void {
  if (db === ctx.dbName) return;
  if (typeof db !== 'string') throw typeError(`unhashable type: '${pyTypeName(db)}'`);
  throw new PythonError('psycopg2.OperationalError', `connection to server failed: FATAL:  database "${db}" does not exist`);
}

// ------------------------------------------------------------------ common

const common: Service = async (ctx, method, params, caller) => {
  const knex = ctx.db.knex;
  switch (method) {
    case 'version':
      checkArity('exp_version', [], 0, params.length);
      return versionInfo();
    case 'about':
      checkArity('exp_about', ['extended'], 0, params.length);
      return params[0] ? ['See http://openerp.com', SERVER_VERSION] : 'See http://openerp.com';
    case 'login':
    case 'authenticate': {
      if (method === 'login') checkArity('exp_login', ['db', 'login', 'password'], 3, params.length);
      else checkArity('exp_authenticate', ['db', 'login', 'password', 'user_agent_env'], 4, params.length);
      assertDatabase(ctx, params[0]);
      const uid = await authenticate(knex, params[1], params[2], { remoteAddr: caller.remoteAddr, interactive: false });
      return uid ?? false;
    }
    case 'set_loglevel':
      checkArity('exp_set_loglevel', ['loglevel', 'logger'], 1, params.length);
      return true;
    default:
      throw new PythonError('Exception', `Method not found: ${method}`);
  }
};

// ------------------------------------------------------------------ db

/** Methods of the db service that need the master password; the sidecar has none, so all are refused. */
const MASTER_METHODS = new Set([
  'create_database', 'duplicate_database', 'drop', 'dump', 'restore', 'rename',
  'change_admin_password', 'migrate_databases', 'list_countries',
]);

const db: Service = async (ctx, method, params) => {
  switch (method) {
    case 'server_version':
      checkArity('exp_server_version', [], 0, params.length);
      return SERVER_VERSION;
    case 'db_exist':
      checkArity('exp_db_exist', ['db_name'], 1, params.length);
      return params[0] === ctx.dbName;
    case 'list':
      checkArity('exp_list', ['document'], 0, params.length);
      return [ctx.dbName];
    case 'list_lang': {
      checkArity('exp_list_lang', [], 0, params.length);
      const rows = await ctx.db.knex('res_lang').orderBy('name').select('code', 'name');
      return rows.map((r: { code: string; name: string }) => [r.code, r.name]);
    }
    default:
      // Odoo checks the master password first (check_super): no password → AccessDenied.
      if (MASTER_METHODS.has(method)) throw new AccessDenied();
      throw keyError(`Method not found: ${method}`);
  }
};

// ------------------------------------------------------------------ object

/** Python's f(*args): a list as is, a dict by its keys, a string by its characters. */
export function starArgs(fname: string, value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return [...value];
  if (value && typeof value === 'object') return Object.keys(value);
  throw typeError(`${fname}() argument after * must be an iterable, not ${pyTypeName(value)}`);
}

/** Python's f(**kw or {}): a falsy kw is no keywords, anything but a dict is a TypeError. */
export function starStarKwargs(fname: string, value: unknown): Record<string, unknown> {
  const empty = value === null || value === undefined || value === false || value === 0 || value === '' || (Array.isArray(value) && value.length === 0);
  if (empty) return {};
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw typeError(`${fname}() argument after ** must be a mapping, not ${pyTypeName(value)}`);
}

/**
 * The model and method names execute_kw hands to the model layer must be strings (as
 * env[obj] and getattr need). Private methods are refused by executeKw itself, after the
 * model check, in Odoo's order.
 */
export function modelAndMethod(model: unknown, method: unknown): [string, string] {
  if (typeof model !== 'string') {
    if (model !== null && typeof model === 'object') throw typeError(`unhashable type: '${pyTypeName(model)}'`);
    throw new UserError(`Object ${typeof model === 'boolean' ? (model ? 'True' : 'False') : model ?? 'None'} doesn't exist`);
  }
  if (typeof method !== 'string') throw typeError(`attribute name must be string, not '${pyTypeName(method)}'`);
  return [model, method];
}

const object: Service = async (ctx, method, params, caller) => {
  // db, uid, passwd = params[0], int(params[1]), params[2]: evaluated left to right.
  const item = (i: number) => {
    if (i >= params.length) throw new PythonError('IndexError', `${caller.paramsKind ?? 'tuple'} index out of range`);
    return params[i];
  };
  const dbName = item(0);
  const uid = pyInt(item(1));
  const password = item(2);
  assertDatabase(ctx, dbName);
  await checkUid(ctx.db.knex, uid, password, { remoteAddr: caller.remoteAddr });
  const rest = params.slice(3);
  if (method === 'execute_kw') {
    checkArity('execute_kw', ['db', 'uid', 'obj', 'method', 'args', 'kw'], 5, rest.length + 2);
    const positional = starArgs('execute', rest[2]);
    const keywords = starStarKwargs('execute', rest[3]);
    const [model, name] = modelAndMethod(rest[0], rest[1]);
    if (caller.forward && !(await servesCall(ctx, model, name))) return caller.forward(model, name);
    return executeKw(ctx, uid, model, name, positional, keywords);
  }
  if (method === 'execute') {
    checkArity('execute', ['db', 'uid', 'obj', 'method'], 4, Math.min(rest.length + 2, 4));
    const [model, name] = modelAndMethod(rest[0], rest[1]);
    if (caller.forward && !(await servesCall(ctx, model, name))) return caller.forward(model, name);
    return executeKw(ctx, uid, model, name, rest.slice(2), {});
  }
  throw new PythonError('NameError', `Method not available ${method}`);
};

const services: Record<string, Service> = { common, db, object };

/** The service names (the last segment of /xmlrpc/2/<service>). */
export const RPC_SERVICES = Object.keys(services);

/** dispatch_rpc(service, method, params). */
export async function dispatchRpc(ctx: AppContext, service: unknown, method: unknown, params: unknown[], caller: CallerInfo = {}): Promise<unknown> {
  if (typeof service !== 'string') throw typeError(`unhashable type: '${pyTypeName(service)}'`);
  const run = Object.prototype.hasOwnProperty.call(services, service) ? services[service] : undefined;
  if (!run) throw keyError(service);
  noteRequest({ method: `${service}.${String(method)}` });
  return run(ctx, String(method), params, caller);
}

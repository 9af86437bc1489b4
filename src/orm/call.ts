import { AppContext } from '../context';
import { Env } from './env';
import { findMethod } from './methods';
import { getRegistry } from './registry';
import { AccessError, MissingError, PythonError } from '../errors';
import { noteRequest } from '../request-context';
import { isRecordIdValue } from '../bounds';
import { bindArgs } from './signature';
import { ORM_METHODS, OrmMethod } from './orm_methods';
import { Knex } from 'knex';
import { userInfo } from './user';
import { modelSecurity } from './security';
import './security_hooks';
import '../models';

/**
 * execute_kw's model layer: runs `model.method(*args, **kwargs)` as user `uid` in one
 * transaction and returns the plain result (the transport marshals it).
 *
 * Order of checks as Odoo's: the model must exist, private methods are refused, business
 * methods of model files (methods.ts) come before the generic ORM methods, unknown methods
 * are an AttributeError; arguments are bound like Python binds them.
 */
export async function executeKw(
  app: AppContext,
  uid: number,
  model: string,
  method: string,
  args: unknown[],
  kwargs: Record<string, unknown>,
): Promise<unknown> {
  noteRequest({ uid, model, method });
  const { context: rawContext, ...rest } = kwargs;
  const context = rawContext && typeof rawContext === 'object' && !Array.isArray(rawContext) ? (rawContext as Record<string, unknown>) : {};
  const registry = await getRegistry(app);
  registry.model(model); // Object X doesn't exist
  // Python's getattr finds none of these on a model class: unknown, as any other unknown name.
  if (PROTOTYPE_NAMES.has(method)) throw unknownMethod(model, method);
  if (method.startsWith('_')) {
    throw new AccessError(`Private methods (such as '${model}.${method}') cannot be called remotely.`);
  }
  const custom = findMethod(model, method);
  const generic = custom || !Object.hasOwn(ORM_METHODS, method) ? undefined : ORM_METHODS[method];
  if (generic?.readonly) {
    // Reads need no transaction: their queries go straight to the pool (no BEGIN/COMMIT
    // round trips), and the user's and the model's security load side by side.
    const env: Env = { cr: app.db.knex as unknown as Knex.Transaction, uid, context, app };
    void userInfo(env).catch(() => undefined);
    void modelSecurity(env, model).catch(() => undefined);
    return runGeneric(env, generic, model, args, rest);
  }
  if (custom?.readonly) return custom({ cr: app.db.knex as unknown as Knex.Transaction, uid, context, app }, args, rest);
  return app.db.knex.transaction(async (cr) => {
    const env: Env = { cr, uid, context, app };
    if (custom) return custom(env, args, rest);
    if (!generic) throw unknownMethod(model, method);
    return runGeneric(env, generic, model, args, rest);
  });
}

/** Record methods that answer for the records that exist and pass over the others. */
const SKIPS_MISSING = new Set(['BaseModel.read', 'BaseModel.name_get', 'BaseModel.exists', 'BaseModel.get_metadata']);

/**
 * The names every JavaScript object answers through its prototype (`constructor`, `toString`,
 * `hasOwnProperty`, `__proto__`, `__defineGetter__` …): no lookup of a method may find them.
 */
const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

const unknownMethod = (model: string, method: string) => new PythonError('AttributeError', `The method '${model}.${method}' does not exist`);

function runGeneric(env: Env, generic: OrmMethod, model: string, args: unknown[], kwargs: Record<string, unknown>): Promise<unknown> {
  if (generic.records) {
    // api.call_kw for record methods: the first positional argument is the ids
    if (args.length === 0) throw new PythonError('IndexError', 'list index out of range');
    const ids = toIds(args[0]);
    const bound = bindArgs(generic.sig, args.slice(1), kwargs);
    // Ids beyond int4 name no record: reads leave them out as Odoo leaves out missing records,
    // the other methods answer its MissingError (no statement could even bind them).
    const beyond = ids.filter((id) => !isRecordIdValue(id));
    if (beyond.length && !SKIPS_MISSING.has(generic.sig.qualname)) {
      const tuple = beyond.length === 1 ? `(${beyond[0]},)` : `(${beyond.join(', ')})`;
      throw new MissingError(`Record does not exist or has been deleted.\n(Record: ${model}${tuple}, User: ${env.uid})`);
    }
    return generic.run(env, model, bound, beyond.length ? ids.filter(isRecordIdValue) : ids);
  }
  return generic.run(env, model, bindArgs(generic.sig, args, kwargs), []);
}

/** browse(ids): an id, a list of ids, or False/None for none. */
function toIds(v: unknown): number[] {
  if (v === false || v === null || v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => {
    if (typeof x === 'number' && Number.isInteger(x)) return x;
    if (typeof x === 'string' && /^\d+$/.test(x)) return parseInt(x, 10);
    throw new PythonError('TypeError', `'${typeof x === 'string' ? 'str' : typeof x}' object cannot be interpreted as an integer`);
  });
}

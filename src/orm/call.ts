import { AppContext } from '../context';
import { Env } from './env';
import { findMethod } from './methods';
import '../models';

/**
 * execute_kw's model layer: runs `model.method(*args, **kwargs)` as user `uid` in one
 * transaction and returns the plain result (the transport marshals it).
 * TODO(orm): generic ORM methods (search, read, write, …), access rights, unknown model errors.
 */
export async function executeKw(
  app: AppContext,
  uid: number,
  model: string,
  method: string,
  args: unknown[],
  kwargs: Record<string, unknown>,
): Promise<unknown> {
  const context = (kwargs.context as Record<string, unknown> | undefined) ?? {};
  return app.db.knex.transaction(async (cr) => {
    const env: Env = { cr, uid, context, app };
    const custom = findMethod(model, method);
    if (custom) return custom(env, args, kwargs);
    throw new Error(`ORM method ${model}.${method} not implemented yet`);
  });
}

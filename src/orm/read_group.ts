import { Env } from './env';
import { UserError } from '../errors';

/** read_group's arguments after binding Odoo's signature (engineer "ormw" implements it). */
export interface ReadGroupArgs {
  domain: unknown;
  fields: unknown;
  groupby: unknown;
  offset: unknown;
  limit: unknown;
  orderby: unknown;
  lazy: unknown;
}

export async function readGroup(_env: Env, model: string, _args: ReadGroupArgs): Promise<unknown[]> {
  throw new UserError(`${model}.read_group is not available yet`);
}

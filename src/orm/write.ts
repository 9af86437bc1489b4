import { Env } from './env';
import { UserError } from '../errors';

/**
 * Write side of the ORM (engineer "ormw"): create, write, unlink, copy, archiving.
 * The dispatcher (call.ts) binds Odoo's Python signatures and calls these with plain values:
 * `ids` already normalised to a list of integers, `vals` as the caller sent them.
 * Placeholder until ormw's implementation lands.
 */
const notYet = (what: string) => new UserError(`${what} is not available yet`);

/** create(vals_list): a dict gives one id, a list of dicts gives a list of ids. */
export async function create(_env: Env, model: string, _valsList: unknown): Promise<number | number[]> {
  throw notYet(`${model}.create`);
}

export async function write(_env: Env, model: string, _ids: number[], _vals: unknown): Promise<boolean> {
  throw notYet(`${model}.write`);
}

export async function unlink(_env: Env, model: string, _ids: number[]): Promise<boolean> {
  throw notYet(`${model}.unlink`);
}

export async function copy(_env: Env, model: string, _ids: number[], _defaults: unknown): Promise<number> {
  throw notYet(`${model}.copy`);
}

/** action_archive / action_unarchive. */
export async function setActive(_env: Env, model: string, _ids: number[], _active: boolean): Promise<boolean> {
  throw notYet(`${model}.${_active ? 'action_unarchive' : 'action_archive'}`);
}

import { Request, Response } from 'express';
import { log } from '../log';
import { AppContext } from '../context';
import { ApiError } from './errors';
import { isRecordIdValue } from '../bounds';

/** Odoo's superuser: the acting user of a hook that names none. */
export const DEFAULT_HOOK_UID = 1;

/** A hook's JSON object body (the raw bytes the signature covered). */
export function hookBody(req: Request): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse((req.body as Buffer).toString('utf8'));
  } catch {
    throw new ApiError(400, 'invalid_json', 'Malformed JSON body');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'invalid_request', 'The body must be a JSON object');
  return body as Record<string, unknown>;
}

/** `id` or `ids`: record ids (at most `max`), deduplicated, in order. */
export function hookIds(body: Record<string, unknown>, max = 1000): number[] {
  const raw = body.ids !== undefined ? body.ids : body.id !== undefined ? [body.id] : undefined;
  if (!Array.isArray(raw) || !raw.length || raw.length > max || !raw.every(isRecordIdValue)) {
    throw new ApiError(400, 'invalid_request', `id must be a positive integer, or ids a list of 1 to ${max} of them`);
  }
  return [...new Set(raw as number[])];
}

/**
 * `"wait": false`: the caller (the bridge addon, sending after Odoo's commit and before Odoo
 * answers its user) wants the hook accepted, not done: it is answered 202 at once and the work
 * goes on in the background (a failure is logged; the sweep catches up what it left undone).
 */
export function acceptedInBackground(body: Record<string, unknown>, res: Response, what: string, work: () => Promise<unknown>): boolean {
  if (body.wait !== false) return false;
  work().catch((err) => log.error(`hook ${what} failed in the background: ${(err as Error).message}`));
  res.status(202).json({ accepted: true });
  return true;
}

/** The acting user: `uid`, an existing user (default Odoo's superuser). */
export async function hookUid(ctx: AppContext, body: Record<string, unknown>): Promise<number> {
  if (body.uid === undefined) return DEFAULT_HOOK_UID;
  if (!isRecordIdValue(body.uid)) throw new ApiError(400, 'invalid_request', 'uid must be a positive integer');
  const user = await ctx.db.knex('res_users').where({ id: body.uid }).first('id');
  if (!user) throw new ApiError(400, 'unknown_user', `No user with id ${body.uid}`);
  return body.uid;
}

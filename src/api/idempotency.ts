import { createHash } from 'node:crypto';
import { Knex } from 'knex';
import { Request } from 'express';
import { AppContext } from '../context';
import { ApiError } from './errors';

/** What a REST write answers; stored under its Idempotency-Key to be answered again. */
export interface ApiAnswer {
  status: number;
  body: unknown;
}

/**
 * Runs a REST write in one transaction. With an Idempotency-Key header, the key is inserted in
 * that same transaction: a concurrent retry waits on the key's unique index until the first
 * commits, then gets the first answer; a retry after a failure (nothing committed) runs
 * again. The same key with a different request is refused (422), as it is almost surely a
 * bug. Requests are compared by meaning: the body's canonical JSON (keys sorted, no spacing),
 * so a client that re-serialises its retry with its keys in another order is not refused.
 */
export async function idempotentWrite(
  ctx: AppContext,
  req: Request,
  uid: number,
  work: (cr: Knex.Transaction) => Promise<ApiAnswer>,
): Promise<ApiAnswer & { replayed: boolean }> {
  const key = req.get('Idempotency-Key');
  if (key !== undefined && (key.length === 0 || key.length > 255)) {
    throw new ApiError(400, 'invalid_idempotency_key', 'Idempotency-Key must be 1 to 255 characters');
  }
  const scope = `${uid} ${req.method} ${req.baseUrl}${req.path}`;
  const hash = createHash('sha256').update(canonicalJson(req.body ?? null)).digest('hex');
  return ctx.db.knex.transaction(async (cr) => {
    if (key !== undefined) {
      const inserted = await cr.raw(
        `INSERT INTO sidecar_idempotency_key (scope, key, request_hash) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING key`,
        [scope, key, hash],
      );
      if (!inserted.rows.length) {
        const prev = await cr('sidecar_idempotency_key').where({ scope, key }).first('request_hash', 'status', 'response');
        if (prev.request_hash !== hash) {
          throw new ApiError(422, 'idempotency_key_reused', 'This Idempotency-Key was used with a different request');
        }
        return { status: prev.status, body: prev.response, replayed: true };
      }
    }
    const answer = await work(cr);
    if (key !== undefined) {
      await cr('sidecar_idempotency_key').where({ scope, key }).update({ status: answer.status, response: JSON.stringify(answer.body) });
    }
    return { ...answer, replayed: false };
  });
}

/** JSON with every object's keys sorted, at every depth: one text per meaning. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(obj[k])).join(',') + '}';
  }
  return JSON.stringify(value) ?? 'null';
}

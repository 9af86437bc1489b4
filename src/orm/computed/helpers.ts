import { Scope } from '../domain';
import { RawValues } from '../compute';

/** Runs a query returning (id, value) rows and maps them onto `ids` (missing: `empty`). */
export async function byId(scope: Scope, ids: number[], query: string, params: unknown[], empty: unknown = null): Promise<RawValues> {
  const { rows } = await scope.env.cr.raw(query, params as never[]);
  const found = new Map<number, unknown>(rows.map((r: { id: number; value: unknown }) => [r.id, r.value]));
  return new Map(ids.map((id) => [id, found.has(id) ? found.get(id) : empty]));
}

/** Groups (id, value) rows into per-id lists. */
export async function listById(scope: Scope, ids: number[], query: string, params: unknown[]): Promise<RawValues> {
  const { rows } = await scope.env.cr.raw(query, params as never[]);
  const out: RawValues = new Map(ids.map((id) => [id, [] as unknown[]]));
  for (const r of rows as Array<{ id: number; value: unknown }>) (out.get(r.id) as unknown[] | undefined)?.push(r.value);
  return out;
}

import { Env } from './env';
import { Scope } from './domain';
import { displayNames } from './display_name';
import { checkAccessRights } from './access';

/** exists(): the ids that are still in the table, in the order given. */
export async function exists(env: Env, model: string, ids: number[]): Promise<number[]> {
  const scope = await Scope.of(env);
  const m = scope.reg.model(model);
  if (!ids.length) return [];
  const { rows } = await env.cr.raw(`select id from "${m.table}" where id = any(?)`, [ids]);
  const found = new Set(rows.map((r: { id: number }) => r.id));
  return ids.filter((id) => found.has(id));
}

/** get_metadata(): who created and last wrote each record, and its external ids. */
export async function getMetadata(env: Env, model: string, ids: number[]): Promise<unknown[]> {
  const scope = await Scope.of(env);
  const m = scope.reg.model(model);
  await checkAccessRights(env, model, 'read');
  const { rows } = await env.cr.raw(
    `select t.id, t.create_uid, to_char(t.create_date, 'YYYY-MM-DD HH24:MI:SS') as create_date,
            t.write_uid, to_char(t.write_date, 'YYYY-MM-DD HH24:MI:SS') as write_date,
            coalesce((select json_agg(json_build_object('xmlid', d.module || '.' || d.name, 'noupdate', coalesce(d.noupdate, false)) order by d.id)
                        from ir_model_data d where d.model = ? and d.res_id = t.id), '[]') as xmlids
       from "${m.table}" t where t.id = any(?)`,
    [model, ids],
  );
  const users = new Set<number>();
  for (const r of rows) for (const u of [r.create_uid, r.write_uid]) if (u) users.add(u);
  const names = await displayNames(scope, scope.reg.model('res.users'), [...users]);
  const byId = new Map(rows.map((r: Record<string, unknown>) => [r.id, r]));
  return ids.filter((id) => byId.has(id)).map((id) => {
    const r = byId.get(id) as Record<string, unknown> & { xmlids: Array<{ xmlid: string; noupdate: boolean }> };
    const user = (u: unknown) => (typeof u === 'number' ? [u, names.get(u) ?? false] : false);
    return {
      id,
      create_uid: user(r.create_uid),
      create_date: r.create_date ?? false,
      write_uid: user(r.write_uid),
      write_date: r.write_date ?? false,
      xmlid: r.xmlids[0]?.xmlid ?? false,
      noupdate: r.xmlids[0]?.noupdate ?? false,
      xmlids: r.xmlids,
    };
  });
}

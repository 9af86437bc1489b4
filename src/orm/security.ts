import { Env } from './env';
import { sharedFact } from './shared_cache';
import { BUILTIN_GROUPS, builtinSecurity, isBuiltinModel } from './builtin-models';

/**
 * What ir_model_access and ir_rule say about one model, read in one query and kept for the
 * rest of the call (every search, read and sub-search of the call asks again).
 */
export type Operation = 'read' | 'write' | 'create' | 'unlink';

export interface AccessRow {
  group: number | null;
  read: boolean;
  write: boolean;
  create: boolean;
  unlink: boolean;
}

export interface RuleRow extends Omit<AccessRow, 'group'> {
  domain: string | null;
  groups: number[];
}

export interface ModelSecurity {
  access: AccessRow[];
  rules: RuleRow[];
}

const cache = new WeakMap<Env, Map<string, Promise<ModelSecurity>>>();

export function modelSecurity(env: Env, model: string): Promise<ModelSecurity> {
  let perEnv = cache.get(env);
  if (!perEnv) cache.set(env, (perEnv = new Map()));
  let p = perEnv.get(model);
  if (!p) {
    p = sharedFact(env, `model:${model}`, () => load(env, model));
    perEnv.set(model, p);
  }
  return p;
}

async function load(env: Env, model: string): Promise<ModelSecurity> {
  if (isBuiltinModel(model)) {
    const builtin = await loadBuiltin(env, model);
    if (builtin) return builtin;
  }
  const { rows } = await env.cr.raw(
    `select
       (select coalesce(json_agg(json_build_object('group', a.group_id, 'read', a.perm_read, 'write', a.perm_write,
                                                   'create', a.perm_create, 'unlink', a.perm_unlink)), '[]')
          from ir_model_access a join ir_model m on m.id = a.model_id where m.model = ? and a.active) as access,
       (select coalesce(json_agg(json_build_object('domain', r.domain_force, 'read', r.perm_read, 'write', r.perm_write,
                                                   'create', r.perm_create, 'unlink', r.perm_unlink,
                                                   'groups', array(select g.group_id from rule_group_rel g where g.rule_group_id = r.id)) order by r.id), '[]')
          from ir_rule r join ir_model m on m.id = r.model_id where m.model = ? and r.active) as rules`,
    [model, model],
  );
  const toBool = (v: unknown) => v === true;
  return {
    access: (rows[0].access as AccessRow[]).map((a) => ({ ...a, read: toBool(a.read), write: toBool(a.write), create: toBool(a.create), unlink: toBool(a.unlink) })),
    rules: (rows[0].rules as RuleRow[]).map((r) => ({ ...r, read: toBool(r.read), write: toBool(r.write), create: toBool(r.create), unlink: toBool(r.unlink) })),
  };
}

/** A model of the sidecar's own tables that no module registered in ir_model: its built-in access (builtin-models.ts). */
async function loadBuiltin(env: Env, model: string): Promise<ModelSecurity | null> {
  const { rows } = await env.cr.raw(
    `select exists (select 1 from ir_model where model = ?) as registered,
            (select coalesce(json_object_agg(d.module || '.' || d.name, d.res_id), '{}') from ir_model_data d
              where d.model = 'res.groups' and d.module || '.' || d.name = any(?)) as groups`,
    [model, BUILTIN_GROUPS],
  );
  if (rows[0].registered) return null;
  return builtinSecurity(model, new Map(Object.entries(rows[0].groups as Record<string, number>)));
}

import { Env } from './env';
import { searchIds } from './search';
import { Scope } from './domain';
import { nameSearchDomain } from './name_domain';
import { displayNames } from './display_name';
import { combine } from './rules';
import { checkAccessRights } from './access';

/** name_search(name, args, operator, limit): [[id, display_name], …] in the model's order. */
export async function nameSearch(env: Env, model: string, name: unknown, args: unknown[], operator: string, limit: number | null): Promise<Array<[number, string]>> {
  const scope = await Scope.of(env);
  const m = scope.reg.model(model);
  const own = nameSearchDomain(m, operator, name ?? '');
  const domain = combine('&', [args, own].filter((d) => d.length));
  const ids = await searchIds(env, model, domain, { limit: limit === null || limit === undefined || (limit as unknown) === false ? null : limit });
  const names = await displayNames(scope, m, ids);
  return ids.map((id) => [id, String(names.get(id) ?? '')]);
}

/** name_get(): deprecated in 17 but still answered. */
export async function nameGet(env: Env, model: string, ids: number[]): Promise<Array<[number, string]>> {
  const scope = await Scope.of(env);
  await checkAccessRights(env, model, 'read');
  const names = await displayNames(scope, scope.reg.model(model), ids);
  return ids.filter((id) => names.has(id)).map((id) => [id, String(names.get(id))]);
}

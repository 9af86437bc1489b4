import { Env } from './env';
import { Signature, req, opt } from './signature';
import { bindArgs } from './signature';
import { searchIds, searchCount, intArg } from './search';
import { read, searchRead, readFieldNames, Load } from './read';
import { checkAccessRights, Operation } from './access';
import { fieldsGet } from './fields_get';
import { defaultGet } from './default_get';
import { nameSearch, nameGet } from './name_search';
import { exists, getMetadata } from './metadata';
import { Scope } from './domain';
import * as writeSide from './write';
import { readGroup } from './read_group';
import { checkAccessRule } from './write/guard';
import { valueError } from '../errors';

/**
 * The generic methods of Odoo's BaseModel that clients call, with their Python signatures.
 * `records` methods take the ids as the first positional argument (api.call_kw).
 */
export interface OrmMethod {
  sig: Signature;
  records?: boolean;
  /** Reads only: runs outside a transaction (see call.ts). */
  readonly?: boolean;
  run(env: Env, model: string, a: Record<string, unknown>, ids: number[]): Promise<unknown>;
}

const base = (name: string, ...params: Signature['params']): Signature => ({ qualname: `BaseModel.${name}`, params });

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === null || v === undefined || v === false ? [] : [v]);

export const ORM_METHODS: Record<string, OrmMethod> = {
  search: {
    readonly: true,
    sig: base('search', req('domain'), opt('offset', 0), opt('limit', null), opt('order', null)),
    run: (env, model, a) => searchIds(env, model, a.domain as unknown[], { offset: a.offset as number, limit: a.limit as number | null, order: orderArg(a.order) }),
  },
  search_count: {
    readonly: true,
    sig: base('search_count', req('domain'), opt('limit', null)),
    run: (env, model, a) => searchCount(env, model, a.domain as unknown[], a.limit as number | null),
  },
  search_read: {
    readonly: true,
    sig: { ...base('search_read', opt('domain', null), opt('fields', null), opt('offset', 0), opt('limit', null), opt('order', null)), varKeywords: 'read_kwargs' },
    run: async (env, model, a) => {
      const { load } = bindArgs(base('_read_format', opt('load', '_classic_read')), [], a.read_kwargs as Record<string, unknown>);
      const scope = await Scope.of(env);
      const m = scope.reg.model(model);
      const names = await readFieldNames(scope, m, a.fields);
      return searchRead(scope, m, a.domain ?? [], names, { offset: intArg('offset', a.offset) ?? 0, limit: intArg('limit', a.limit), order: orderArg(a.order) }, load as Load);
    },
  },
  read: {
    readonly: true,
    records: true,
    sig: base('read', opt('fields', null), opt('load', '_classic_read')),
    run: (env, model, a, ids) => read(env, model, ids, a.fields, a.load as Load),
  },
  name_search: {
    readonly: true,
    sig: base('name_search', opt('name', ''), opt('args', null), opt('operator', 'ilike'), opt('limit', 100)),
    run: (env, model, a) => nameSearch(env, model, a.name, asList(a.args), String(a.operator), a.limit as number | null),
  },
  name_get: {
    readonly: true,
    records: true,
    sig: base('name_get'),
    run: (env, model, _a, ids) => nameGet(env, model, ids),
  },
  fields_get: {
    readonly: true,
    sig: base('fields_get', opt('allfields', null), opt('attributes', null)),
    run: (env, model, a) => fieldsGet(env, model, a.allfields, a.attributes),
  },
  default_get: {
    sig: base('default_get', req('fields_list')),
    run: (env, model, a) => defaultGet(env, model, asList(a.fields_list)),
  },
  check_access_rights: {
    readonly: true,
    sig: base('check_access_rights', req('operation'), opt('raise_exception', true)),
    run: (env, model, a) => checkAccessRights(env, model, a.operation as Operation, a.raise_exception !== false),
  },
  check_access_rule: {
    readonly: true,
    records: true,
    sig: base('check_access_rule', req('operation')),
    run: async (env, model, a, ids) => checkAccessRule(env, (await Scope.of(env)).reg.model(model), a.operation, ids),
  },
  exists: {
    readonly: true,
    records: true,
    sig: base('exists'),
    run: (env, model, _a, ids) => exists(env, model, ids),
  },
  get_metadata: {
    readonly: true,
    records: true,
    sig: base('get_metadata'),
    run: (env, model, _a, ids) => getMetadata(env, model, ids),
  },
  // Write side: engineer "ormw" implements these in write.ts and read_group.ts.
  create: {
    sig: base('create', req('vals_list')),
    run: (env, model, a) => writeSide.create(env, model, a.vals_list),
  },
  write: {
    records: true,
    sig: base('write', req('vals')),
    run: (env, model, a, ids) => writeSide.write(env, model, ids, a.vals),
  },
  unlink: {
    records: true,
    sig: base('unlink'),
    run: (env, model, _a, ids) => writeSide.unlink(env, model, ids),
  },
  copy: {
    records: true,
    sig: base('copy', opt('default', null)),
    run: (env, model, a, ids) => writeSide.copy(env, model, ids, a.default),
  },
  action_archive: {
    records: true,
    sig: base('action_archive'),
    run: (env, model, _a, ids) => writeSide.setActive(env, model, ids, false),
  },
  action_unarchive: {
    records: true,
    sig: base('action_unarchive'),
    run: (env, model, _a, ids) => writeSide.setActive(env, model, ids, true),
  },
  read_group: {
    readonly: true,
    sig: base('read_group', req('domain'), req('fields'), req('groupby'), opt('offset', 0), opt('limit', null), opt('orderby', false), opt('lazy', true)),
    run: (env, model, a) => readGroup(env, model, {
      domain: a.domain, fields: a.fields, groupby: a.groupby, offset: a.offset, limit: a.limit, orderby: a.orderby, lazy: a.lazy,
    }),
  },
};

function orderArg(v: unknown): string | null {
  if (v === null || v === undefined || v === false || v === '') return null;
  if (typeof v !== 'string') throw valueError(`Invalid "order" specified (${String(v)})`);
  return v;
}

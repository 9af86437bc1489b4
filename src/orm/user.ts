import { Env } from './env';
import { sharedFact } from './shared_cache';

/** Who runs a call, as record rules and company-dependent fields need it. */
export interface UserInfo {
  uid: number;
  partnerId: number;
  commercialPartnerId: number;
  /** The current company: context.allowed_company_ids[0], else the user's company. */
  companyId: number;
  /** Companies the call may see: context.allowed_company_ids ∩ the user's companies. */
  companyIds: number[];
  /** Every group the user is in, implied groups included. */
  groups: Set<number>;
  superuser: boolean;
}

const cache = new WeakMap<Env, Promise<UserInfo>>();

/** The user of this call, loaded once per call. */
export function userInfo(env: Env): Promise<UserInfo> {
  let p = cache.get(env);
  if (!p) {
    const companies = Array.isArray(env.context.allowed_company_ids) ? env.context.allowed_company_ids.join(',') : '';
    p = sharedFact(env, `user:${env.uid}:${companies}`, () => loadUser(env));
    cache.set(env, p);
  }
  return p;
}

async function loadUser(env: Env): Promise<UserInfo> {
  const { rows } = await env.cr.raw(
    `select u.id, u.partner_id, u.company_id,
            (select coalesce(p.commercial_partner_id, p.id) from res_partner p where p.id = u.partner_id) as commercial_partner_id,
            array(select cid from res_company_users_rel where user_id = u.id) as company_ids,
            array(with recursive g(id) as (
                    select gid from res_groups_users_rel where uid = u.id
                    union select r.hid from res_groups_implied_rel r join g on r.gid = g.id)
                  select id from g) as groups
       from res_users u where u.id = ?`,
    [env.uid],
  );
  const row = rows[0] as { id: number; partner_id: number; commercial_partner_id: number; company_id: number; company_ids: number[]; groups: number[] } | undefined;
  if (!row) return { uid: env.uid, partnerId: 0, commercialPartnerId: 0, companyId: 0, companyIds: [], groups: new Set(), superuser: false };
  const allowed = Array.isArray(env.context.allowed_company_ids)
    ? (env.context.allowed_company_ids as unknown[]).filter((c): c is number => typeof c === 'number' && row.company_ids.includes(c))
    : [];
  const companyIds = allowed.length ? allowed : [row.company_id, ...row.company_ids.filter((c) => c !== row.company_id)];
  return {
    uid: row.id,
    partnerId: row.partner_id,
    commercialPartnerId: row.commercial_partner_id,
    companyId: companyIds[0],
    companyIds,
    groups: new Set(row.groups),
    superuser: row.id === 1,
  };
}

/**
 * The session info Odoo 17's web client receives (ir.http session_info): who the user is,
 * the user context (lang, tz), the companies, and whether the user is an administrator
 * (base.group_erp_manager) or a system user (base.group_system), through implied groups.
 */
import { Knex } from 'knex';
import { versionInfo } from './dispatch';

interface UserFacts {
  id: number;
  login: string;
  company_id: number;
  partner_id: number;
  name: string;
  display_name: string;
  lang: string | null;
  tz: string | null;
  action_id: number | null;
}

async function userFacts(db: Knex, uid: number): Promise<UserFacts> {
  const rows = await db.raw(
    `select u.id, u.login, u.company_id, u.partner_id, u.action_id, p.name, coalesce(p.complete_name, p.name) as display_name, p.lang, p.tz
       from res_users u join res_partner p on p.id = u.partner_id where u.id = ?`,
    [uid],
  );
  return rows.rows[0];
}

/** The xml ids (module base) of the groups a user has, directly or through implied groups. */
export async function baseGroups(db: Knex, uid: number): Promise<Set<string>> {
  const rows = await db.raw(
    `with recursive g(id) as (
       select gid from res_groups_users_rel where uid = ?
       union
       select r.hid from res_groups_implied_rel r join g on r.gid = g.id
     )
     select d.name from g join ir_model_data d on d.model = 'res.groups' and d.res_id = g.id and d.module = 'base'`,
    [uid],
  );
  return new Set(rows.rows.map((r: { name: string }) => r.name));
}

/** The user context Odoo's context_get gives: lang and tz of the user. */
export async function userContext(db: Knex, uid: number): Promise<Record<string, unknown>> {
  const user = await userFacts(db, uid);
  return { lang: user.lang ?? 'en_US', tz: user.tz ?? false, uid };
}

export async function sessionInfo(db: Knex, dbName: string, uid: number): Promise<Record<string, unknown>> {
  const [user, groups] = await Promise.all([userFacts(db, uid), baseGroups(db, uid)]);
  const companies = await db.raw(
    `select c.id, c.name, c.sequence, c.parent_id from res_company c
       join res_company_users_rel r on r.cid = c.id where r.user_id = ? order by c.sequence, c.id`,
    [uid],
  );
  const version = versionInfo();
  const info: Record<string, unknown> = {
    uid,
    is_system: groups.has('group_system'),
    is_admin: groups.has('group_erp_manager') || groups.has('group_system'),
    user_context: { lang: user.lang ?? 'en_US', tz: user.tz ?? false },
    db: dbName,
    server_version: version.server_version,
    server_version_info: version.server_version_info,
    support_url: 'https://www.odoo.com/buy',
    name: user.name,
    username: user.login,
    partner_display_name: user.display_name,
    partner_id: user.partner_id,
    home_action_id: user.action_id ?? false,
  };
  if (groups.has('group_user')) {
    const allowed: Record<string, unknown> = {};
    for (const c of companies.rows) {
      allowed[c.id] = { id: c.id, name: c.name, sequence: c.sequence, parent_id: c.parent_id ?? false };
    }
    info.user_companies = { current_company: user.company_id, allowed_companies: allowed, disallowed_ancestor_companies: {} };
  }
  return info;
}

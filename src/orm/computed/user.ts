import { defineCompute } from '../compute';
import { aggregatePer, byId, constant, listById } from './helpers';
import { Scope } from '../domain';
import { tzOffset } from './partner';
import { FieldNotServed } from '../served';

/**
 * res.users' non-stored computed fields (base, bus, auth_signup, auth_totp, sales_team), as
 * Odoo 17 computes them. totp_secret is never served: Odoo gives it to nobody (groups='.').
 */

/** password / new_password: always read as empty. */
defineCompute('res.users', 'password', constant(''));
defineCompute('res.users', 'new_password', constant(''));
defineCompute('res.users', 'companies_count', (scope, ids) =>
  byId(scope, ids, `select u.id, (select count(*)::int from res_company) as value from res_users u where u.id = any(?)`, [ids], 0));
defineCompute('res.users', 'tz_offset', (scope, ids) =>
  byId(scope, ids, `select u.id, p.tz as value from res_users u join res_partner p on p.id = u.partner_id where u.id = any(?)`, [ids]).then((tzs) =>
    new Map(ids.map((id) => [id, tzOffset(String(tzs.get(id) || 'GMT'))]))));
const active = (scope: Scope, alias: string) => (scope.env.context.active_test === false ? '' : ` and ${alias}.active`);
/** accesses_count / rules_count / groups_count: over the user's groups (groups_id). */
defineCompute('res.users', 'groups_count', (scope, ids) =>
  byId(scope, ids, `select uid as id, count(*)::int as value from res_groups_users_rel where uid = any(?) group by uid`, [ids], 0));
defineCompute('res.users', 'accesses_count', (scope, ids) =>
  byId(scope, ids, `select r.uid as id, count(a.id)::int as value from res_groups_users_rel r join ir_model_access a on a.group_id = r.gid${active(scope, 'a')}
                     where r.uid = any(?) group by r.uid`, [ids], 0));
defineCompute('res.users', 'rules_count', (scope, ids) =>
  byId(scope, ids, `select r.uid as id, count(distinct x.id)::int as value from res_groups_users_rel r join rule_group_rel g on g.group_id = r.gid
                      join ir_rule x on x.id = g.rule_group_id${active(scope, 'x')} where r.uid = any(?) group by r.uid`, [ids], 0));
/** res_users_settings_id: its first settings record the caller may read (res_users_settings_ids, as the user). */
defineCompute('res.users', 'res_users_settings_id', async (scope, ids) => {
  const first = await aggregatePer(scope, 'res.users.settings', [['user_id', 'in', ids]], 'user_id', { first: 'min(t.id)' });
  return new Map(ids.map((id) => [id, first.get(id)?.first ?? null]));
});
/** user_group_warning: only with show_user_group_warning in the context, which the sidecar does not compute. */
defineCompute('res.users', 'user_group_warning', async (scope, ids) => {
  if (scope.env.context.show_user_group_warning) throw new FieldNotServed('res.users', ['user_group_warning']);
  return new Map(ids.map((id) => [id, false]));
});
/** state (auth_signup): active once the user has logged in (a res.users.log row), else new. */
defineCompute('res.users', 'state', (scope, ids) =>
  byId(scope, ids, `select u.id, case when exists (select 1 from res_users_log l where l.create_uid = u.id) then 'active' else 'new' end as value
                      from res_users u where u.id = any(?)`, [ids]));
defineCompute('res.users', 'totp_enabled', (scope, ids) =>
  byId(scope, ids, `select id, (totp_secret is not null and totp_secret <> '') as value from res_users where id = any(?)`, [ids], false));
/** im_status (bus): the user's presence, else offline. */
defineCompute('res.users', 'im_status', (scope, ids) =>
  byId(scope, ids, `select u.id, coalesce((select b.status from bus_presence b where b.user_id = u.id limit 1), 'offline') as value from res_users u where u.id = any(?)`, [ids]));
/** crm_team_ids (sales_team): the teams of its memberships, in crm.team's order. */
defineCompute('res.users', 'crm_team_ids', (scope, ids) =>
  listById(scope, ids, `select m.user_id as id, t.id as value from crm_team_member m join crm_team t on t.id = m.crm_team_id
                         where m.user_id = any(?)${active(scope, 'm')}${active(scope, 't')}
                         group by m.user_id, t.id, t.sequence, t.create_date order by m.user_id, t.sequence, t.create_date desc, t.id desc`, [ids]));

/** res.groups.full_name (its _rec_name): "<category> / <name>", or the name without a category. */
defineCompute('res.groups', 'full_name', (scope, ids) =>
  byId(scope, ids, `select g.id, coalesce(coalesce(c.name->>?, c.name->>'en_US') || ' / ', '') || coalesce(g.name->>?, g.name->>'en_US') as value
                      from res_groups g left join ir_module_category c on c.id = g.category_id where g.id = any(?)`, [scope.lang, scope.lang, ids], ''));

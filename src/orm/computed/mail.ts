import { defineCompute } from '../compute';
import { byId, listById } from './helpers';
import { userInfo } from '../user';
import { Scope } from '../domain';
import { ModelDef } from '../registry';

/**
 * mail.thread's computed fields, for every model that has them (loyalty.card, res.partner…):
 * followers and messages are read from mail_followers / mail_message of that model.
 */
defineCompute('*', 'message_is_follower', async (scope, ids, model) => {
  const user = await userInfo(scope.env);
  return byId(scope, ids, `select res_id as id, true as value from mail_followers where res_model = ? and res_id = any(?) and partner_id = ?`,
    [model.name, ids, user.partnerId], false);
});

defineCompute('*', 'message_partner_ids', (scope, ids, model) =>
  listById(scope, ids, `select res_id as id, partner_id as value from mail_followers where res_model = ? and res_id = any(?) and partner_id is not null order by id`, [model.name, ids]));

defineCompute('*', 'has_message', (scope, ids, model) =>
  byId(scope, ids, `select distinct res_id as id, true as value from mail_message where model = ? and res_id = any(?) and message_type != 'user_notification'`, [model.name, ids], false));

/** Attachments of the record, not the ones behind its binary fields (ir.attachment's search skips res_field). */
defineCompute('*', 'message_attachment_count', (scope, ids, model) =>
  byId(scope, ids, `select res_id as id, count(*)::int as value from ir_attachment where res_model = ? and res_id = any(?) and res_field is null group by res_id`, [model.name, ids], 0));

/** Unread notifications of the user's partner on the record's messages (_compute_message_needaction). */
const needaction = (scope: Scope, ids: number[], model: ModelDef, user: number) =>
  byId(scope, ids, `select m.res_id as id, count(*)::int as value from mail_message m
                      join mail_notification n on n.mail_message_id = m.id and n.res_partner_id = ? and (n.is_read = false or n.is_read is null)
                     where m.model = ? and m.res_id = any(?) and m.message_type != 'user_notification' group by m.res_id`, [user, model.name, ids], 0);
defineCompute('*', 'message_needaction_counter', async (scope, ids, model) => needaction(scope, ids, model, (await userInfo(scope.env)).partnerId));
defineCompute('*', 'message_needaction', async (scope, ids, model) => truthy(await needaction(scope, ids, model, (await userInfo(scope.env)).partnerId)));

/** Failed notifications the user's partner authored on the record's messages (_compute_message_has_error; sms: only sms ones). */
const failures = (scope: Scope, ids: number[], model: ModelDef, user: number, sms: boolean) =>
  byId(scope, ids, `select m.res_id as id, count(*)::int as value from mail_message m
                      join mail_notification n on n.mail_message_id = m.id
                     where ${sms ? `n.notification_type = 'sms' and n.notification_status = 'exception'` : `n.notification_status in ('exception', 'bounce')`}
                       and n.author_id = ? and m.model = ? and m.res_id = any(?) and m.message_type != 'user_notification' group by m.res_id`, [user, model.name, ids], 0);
defineCompute('*', 'message_has_error_counter', async (scope, ids, model) => failures(scope, ids, model, (await userInfo(scope.env)).partnerId, false));
defineCompute('*', 'message_has_error', async (scope, ids, model) => truthy(await failures(scope, ids, model, (await userInfo(scope.env)).partnerId, false)));
defineCompute('*', 'message_has_sms_error', async (scope, ids, model) => truthy(await failures(scope, ids, model, (await userInfo(scope.env)).partnerId, true)));

const truthy = (counts: Map<number, unknown>) => new Map([...counts].map(([id, n]) => [id, Number(n) > 0]));

/**
 * mail.activity.mixin: the record's activities (mail_activity of the model, in its _order
 * date_deadline, id; archived ones only with active_test off), their first deadline, user,
 * the user's own first deadline, the state of the most urgent one and the exception type.
 */
const activities = (scope: Scope, model: ModelDef, ids: number[], select: string, params: unknown[] = [], where = '') =>
  byId(scope, ids, `select a.res_id as id, ${select} as value from mail_activity a
                     where a.res_model = ? and a.res_id = any(?)${scope.env.context.active_test === false ? '' : ' and a.active'}${where}
                     group by a.res_id`, [...params, model.name, ids]);
defineCompute('*', 'activity_date_deadline', (scope, ids, model) => activities(scope, model, ids, `(array_agg(a.date_deadline::text order by a.date_deadline, a.id))[1]`));
defineCompute('*', 'activity_user_id', (scope, ids, model) => activities(scope, model, ids, `(array_agg(a.user_id order by a.date_deadline, a.id))[1]`));
defineCompute('*', 'my_activity_date_deadline', async (scope, ids, model) =>
  activities(scope, model, ids, `(array_agg(a.date_deadline::text order by a.date_deadline, a.id))[1]`, [], ` and a.user_id = ${Number(scope.env.uid)}`));
/** activity_state: overdue, today or planned, by the deadline against today in the activity's user's time zone; done (archived) ones do not count. */
defineCompute('*', 'activity_state', (scope, ids, model) => activities(scope, model, ids, `(case
    min(case when not a.active then null
             when a.date_deadline < (now() at time zone coalesce((select p.tz from res_users u join res_partner p on p.id = u.partner_id where u.id = a.user_id), 'UTC'))::date then 0
             when a.date_deadline = (now() at time zone coalesce((select p.tz from res_users u join res_partner p on p.id = u.partner_id where u.id = a.user_id), 'UTC'))::date then 1
             else 2 end) when 0 then 'overdue' when 1 then 'today' when 2 then 'planned' end)`));
/** activity_exception_decoration / _icon: a 'danger' activity type wins, else the last 'warning' one. */
defineCompute('*', 'activity_exception_decoration', (scope, ids, model) => exceptionTypeOf(scope, model, ids, 'decoration_type'));
defineCompute('*', 'activity_exception_icon', (scope, ids, model) => exceptionTypeOf(scope, model, ids, 'icon'));
function exceptionTypeOf(scope: Scope, model: ModelDef, ids: number[], column: string) {
  return byId(scope, ids, `select a.res_id as id,
      (array_agg(t.${column} order by t.decoration_type = 'danger' desc, a.date_deadline desc, a.id desc) filter (where t.decoration_type in ('danger', 'warning')))[1] as value
      from mail_activity a join mail_activity_type t on t.id = a.activity_type_id
     where a.res_model = ? and a.res_id = any(?)${scope.env.context.active_test === false ? '' : ' and a.active'} group by a.res_id`, [model.name, ids]);
}

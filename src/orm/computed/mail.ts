import { defineCompute } from '../compute';
import { byId, listById } from './helpers';
import { userInfo } from '../user';

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

defineCompute('*', 'message_attachment_count', (scope, ids, model) =>
  byId(scope, ids, `select res_id as id, count(*)::int as value from ir_attachment where res_model = ? and res_id = any(?) group by res_id`, [model.name, ids], 0));


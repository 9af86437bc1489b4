import { defineCompute } from '../compute';
import { byId } from './helpers';
import { userInfo } from '../user';

/**
 * res.partner.loyalty_card_count: the partner's (and its contacts') cards that still hold
 * points, of active programs of the user's companies, not expired.
 */
defineCompute('res.partner', 'loyalty_card_count', async (scope, ids) => {
  const user = await userInfo(scope.env);
  return byId(scope, ids,
    `with recursive tree(root, id) as (select id, id from res_partner where id = any(?)
        union select tree.root, p.id from res_partner p join tree on p.parent_id = tree.id)
     select tree.root as id, count(c.id)::int as value from tree
       join loyalty_card c on c.partner_id = tree.id join loyalty_program g on g.id = c.program_id
      where c.points > 0 and g.active and (c.company_id is null or c.company_id = any(?))
        and (c.expiration_date is null or c.expiration_date >= current_date)
      group by tree.root`,
    [ids, user.companyIds], 0);
});

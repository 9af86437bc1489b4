import { defineCompute } from '../compute';
import { listById } from './helpers';

/** pos.order.refunded_order_ids: the orders whose lines this order refunds. */
defineCompute('pos.order', 'refunded_order_ids', (scope, ids) =>
  listById(scope, ids, `select distinct l.order_id as id, o.order_id as value from pos_order_line l
                          join pos_order_line o on o.id = l.refunded_orderline_id where l.order_id = any(?) order by 2`, [ids]));

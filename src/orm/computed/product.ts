import { defineCompute } from '../compute';
import { byId } from './helpers';

/** product.product: its sales price with variant extras, (its display name: display-names.ts). */
defineCompute('product.product', 'price_extra', (scope, ids) =>
  byId(scope, ids, `select c.product_product_id as id, sum(v.price_extra) as value
                      from product_variant_combination c join product_template_attribute_value v on v.id = c.product_template_attribute_value_id
                     where c.product_product_id = any(?) group by c.product_product_id`, [ids], 0));

defineCompute('product.product', 'lst_price', (scope, ids) =>
  byId(scope, ids, `select p.id, coalesce(t.list_price, 0) + coalesce((select sum(v.price_extra) from product_variant_combination c
                          join product_template_attribute_value v on v.id = c.product_template_attribute_value_id
                         where c.product_product_id = p.id), 0) as value
                      from product_product p join product_template t on t.id = p.product_tmpl_id where p.id = any(?)`, [ids], 0));

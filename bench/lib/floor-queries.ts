/** One SQL query per bench/orm scenario, returning what the ORM call answers (same rows, same values). */
export const FLOOR_QUERIES: Record<string, string> = {
  cards_by_partner: `select c.id, c.code, json_build_array(p.id, p.name->>'en_US') as program_id, c.points
                       from loyalty_card c join loyalty_program p on p.id = c.program_id
                      where c.partner_id = $1 order by c.id`,
  orders_with_lines: `select o.id, o.name, o.date_order, json_build_array(pa.id, pa.complete_name) as partner_id, o.amount_total, o.state,
                             array(select l.id from pos_order_line l where l.order_id = o.id order by l.id) as lines
                        from pos_order o left join res_partner pa on pa.id = o.partner_id
                       where o.id = any($1::int[]) order by o.date_order desc, o.name desc, o.id desc`,
  orders_by_month: `select date_trunc('month', date_order) as month, count(*) as date_order_count, sum(amount_total) as amount_total
                      from pos_order where partner_id = $1 group by 1 order by 1`,
};

import { Knex } from 'knex';

/**
 * The reporting views (issue 15) over Odoo's POS tables and the sidecar's points ledger, read by
 * the sidecar's report models (src/orm/builtin-models.ts) and by the bridge addon's models
 * (`_auto = False`: Odoo reads them, never creates them).
 *
 * Conventions shared by the three:
 * - a paid order is a pos_order in state paid, done or invoiced; a refund is a paid order with a
 *   line that refunds another (refunded_orderline_id), as src/orders tells them apart. Refunds
 *   count negatively: their amounts are negative already (Odoo negates the quantities), and
 *   order_count counts a refund as -1;
 * - `date` is the UTC day of the order's date_order (Odoo stores UTC): the same day for every
 *   reader, whatever the company's or the user's time zone, and indexable;
 * - ids are stable: derived from the rows a report row stands for, never from a row number.
 *   Lines, point moves and cards each get their own residue modulo 4 (line id × 4, move id × 4
 *   + 1, card id × 4 + 2), and every source row belongs to exactly one report row, so the
 *   smallest encoded source is a unique, stable id that fits Odoo's integer.
 *
 * promotion_result is a materialized view (refreshed CONCURRENTLY by the report-refresh job,
 * its `refreshed_at` says when): a year of it grouped by program must answer in under 3 s at
 * 1M orders, which the plain promotion_result_live (the same rows, computed on every read)
 * cannot. Run again, the migration drops and recreates all of them (the definitions are the
 * contract; a later migration that changes one does the same).
 */

const PAID = `o.state in ('paid', 'done', 'invoiced')`;
const IS_REFUND = `exists (select 1 from pos_order_line rl where rl.order_id = o.id and rl.refunded_orderline_id is not null)`;

/**
 * Points of a move as won or spent. A refund move takes back earned points (negative) or gives
 * back spent ones (positive): both lower what the order and program won or spent.
 */
const WON = `coalesce(sum(m.points) filter (where m.kind = 'earn' or (m.kind = 'refund' and m.points < 0)), 0)::float8`;
const SPENT = `coalesce(-sum(m.points) filter (where m.kind = 'redeem' or (m.kind = 'refund' and m.points > 0)), 0)::float8`;

/**
 * One row per paid order and reward line, and one per order and program whose card won or
 * spent points in the order without a reward line of the program. The points of an order and
 * program sit on the program's first reward line of the order (so summing never counts them twice).
 *
 * Written so that a filter on date, order or program reaches the tables (no window function,
 * no aggregate over the whole ledger): a month of rows reads that month's orders by the index
 * on their UTC day, then their lines and moves by order.
 */
const REWARD_LINE = `pos_order_line l join loyalty_reward r on r.id = l.reward_id`;
const ORDER_MOVES = `loyalty_point_move m join loyalty_card c on c.id = m.card_id`;
const DETAILS = `
create view promotion_result_details as
select (l.id * 4)::int as id, o.id as order_id, l.id as line_id, (o.date_order)::date as date, o.partner_id,
       r.program_id, l.reward_id, o.company_id, o.config_id,
       (-l.price_subtotal_incl)::numeric as discount_amount,
       coalesce(p.points_won, 0)::float8 as points_won, coalesce(p.points_spent, 0)::float8 as points_spent
  from ${REWARD_LINE}
  join pos_order o on o.id = l.order_id
  left join lateral (
    select ${WON} as points_won, ${SPENT} as points_spent
      from ${ORDER_MOVES}
     where m.pos_order_id = o.id and c.program_id = r.program_id and m.kind in ('earn', 'redeem', 'refund')
  ) p on not exists (select 1 from pos_order_line e join loyalty_reward er on er.id = e.reward_id
                      where e.order_id = l.order_id and er.program_id = r.program_id and e.id < l.id)
 where l.reward_id is not null and ${PAID}
union all
select (min(m.id) * 4 + 1)::int, o.id, null::int, (o.date_order)::date, o.partner_id,
       c.program_id, null::int, o.company_id, o.config_id, 0::numeric, ${WON}, ${SPENT}
  from pos_order o
  join ${ORDER_MOVES} on m.pos_order_id = o.id
 where ${PAID} and m.kind in ('earn', 'redeem', 'refund')
   and not exists (select 1 from ${REWARD_LINE} where l.order_id = o.id and r.program_id = c.program_id)
 group by o.id, c.program_id, o.date_order, o.partner_id, o.company_id, o.config_id`;

/**
 * Per program, UTC day, company and POS config: orders in which the program took part (a reward
 * line of it, or points won or spent on one of its cards), their customers, revenue and discount
 * (from promotion_result_details), the points its cards won, spent (moves of POS orders on the
 * order's day and config; moves outside POS orders on the day they were written, config null)
 * and lost to expiry (on the lot's expiration date, config null), and its new cards (config of
 * the order that created them, when one did). customer_count counts distinct partners of the
 * day's (non-refund) orders: summed over days it counts customer-days.
 */
const LIVE = `
create view promotion_result_live as
with per_order as (
  select d.order_id, d.program_id, d.date, d.company_id, d.config_id, d.partner_id,
         sum(d.discount_amount) as discount_amount, sum(d.points_won) as points_won,
         sum(d.points_spent) as points_spent, min(d.id) as src
    from promotion_result_details d
   group by d.order_id, d.program_id, d.date, d.company_id, d.config_id, d.partner_id
), orders as (
  select p.*, o.amount_total, ${IS_REFUND} as refund
    from per_order p join pos_order o on o.id = p.order_id
), parts as (
  select program_id, date, company_id, config_id,
         sum(case when refund then -1 else 1 end)::int as order_count,
         count(distinct partner_id) filter (where not refund)::int as customer_count,
         sum(amount_total)::numeric as revenue, sum(discount_amount)::numeric as discount_amount,
         sum(points_won)::float8 as points_issued, sum(points_spent)::float8 as points_redeemed,
         0::float8 as points_expired, 0 as new_cards, min(src) as src
    from orders group by program_id, date, company_id, config_id
  union all
  select c.program_id,
         case when m.kind = 'expire' then coalesce(lot.expiration_date, (m.create_date)::date) else (m.create_date)::date end,
         coalesce(m.company_id, c.company_id), null::int,
         0, 0, 0::numeric, 0::numeric, ${WON}, ${SPENT},
         coalesce(-sum(m.points) filter (where m.kind = 'expire'), 0)::float8, 0, min(m.id) * 4 + 1
    from loyalty_point_move m
    join loyalty_card c on c.id = m.card_id
    left join loyalty_point_move lot on lot.id = m.lot_id
   where (m.pos_order_id is null and m.kind in ('earn', 'redeem', 'refund')) or m.kind = 'expire'
   group by 1, 2, 3
  union all
  select c.program_id, (c.create_date)::date, coalesce(c.company_id, o.company_id), o.config_id,
         0, 0, 0::numeric, 0::numeric, 0::float8, 0::float8, 0::float8, count(*)::int, min(c.id) * 4 + 2
    from loyalty_card c left join pos_order o on o.id = c.source_pos_order_id
   where c.program_id is not null and c.create_date is not null
   group by 1, 2, 3, 4
)
select min(src)::int as id, program_id, date, company_id, config_id,
       sum(order_count)::int as order_count, sum(customer_count)::int as customer_count,
       sum(revenue)::numeric as revenue, sum(discount_amount)::numeric as discount_amount,
       sum(points_issued)::float8 as points_issued, sum(points_redeemed)::float8 as points_redeemed,
       sum(points_expired)::float8 as points_expired, sum(new_cards)::int as new_cards
  from parts
 where program_id is not null
 group by program_id, date, company_id, config_id`;

const MATERIALIZED = `
create materialized view promotion_result as
select r.*, (now() at time zone 'utc')::timestamp(0) as refreshed_at from promotion_result_live r`;

/**
 * Per partner, the first paid (non-refund) POS order, and who referred them when the code they
 * gave is a partner's. A lateral look-up per partner on sidecar_pos_order_partner_first_index
 * rather than DISTINCT ON over every order: a page by id (the exports) reads only its partners
 * (1M orders: 63 ms a page of 5,000 instead of 1.5 s), and nothing else is slower.
 */
const FIRST = `
create view pos_order_first as
select p.id as id, p.id as partner_id, o.id as order_id, o.date_order, o.config_id, o.company_id,
       o.amount_total, o.referral_code_used, ref.id as referrer_id
  from res_partner p
  cross join lateral (
    select o.id, o.date_order, o.config_id, o.company_id, o.amount_total, o.referral_code_used
      from pos_order o
     where o.partner_id = p.id and ${PAID} and not ${IS_REFUND}
     order by o.date_order, o.id
     limit 1) o
  left join res_partner ref on ref.referral_code = o.referral_code_used`;

/** What the views read: without one of them (a standalone subset, Odoo without pos_loyalty) they are skipped. */
const NEEDS: Array<[table: string, column: string]> = [
  ['pos_order', 'referral_code_used'],
  ['pos_order_line', 'reward_id'],
  ['pos_order_line', 'refunded_orderline_id'],
  ['loyalty_reward', 'program_id'],
  ['loyalty_card', 'source_pos_order_id'],
  ['loyalty_point_move', 'lot_id'],
  ['res_partner', 'referral_code'],
];

export async function dropReportViews(db: Knex): Promise<void> {
  await db.raw('drop materialized view if exists promotion_result');
  await db.raw('drop view if exists promotion_result_live');
  await db.raw('drop view if exists promotion_result_details');
  await db.raw('drop view if exists pos_order_first');
}

export async function up(db: Knex): Promise<void> {
  for (const [table, column] of NEEDS) if (!(await db.schema.hasColumn(table, column).catch(() => false))) return;
  await dropReportViews(db);
  // What the views look rows up by, on tables that grow with every order.
  await db.raw(`create index if not exists sidecar_pos_order_line_reward_index on pos_order_line (order_id, reward_id) where reward_id is not null`);
  await db.raw(`create index if not exists sidecar_pos_order_line_refund_index on pos_order_line (order_id) where refunded_orderline_id is not null`);
  // The reports' `date` is the order's UTC day: filters on it read this index.
  await db.raw(`create index if not exists sidecar_pos_order_utc_day_index on pos_order (((date_order)::date))`);
  await db.raw(`create index if not exists sidecar_pos_order_partner_first_index on pos_order (partner_id, date_order, id)
                  where partner_id is not null and state in ('paid', 'done', 'invoiced')`);
  await db.raw(DETAILS);
  await db.raw(LIVE);
  await db.raw(MATERIALIZED);
  // REFRESH … CONCURRENTLY needs a unique index without a WHERE clause.
  await db.raw('create unique index promotion_result_id on promotion_result (id)');
  await db.raw('create index promotion_result_date_program on promotion_result (date, program_id)');
  await db.raw(FIRST);
}

export async function down(db: Knex): Promise<void> {
  await dropReportViews(db);
}

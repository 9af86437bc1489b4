import { Knex } from 'knex';
import { DATE_MIN, IsoDate, tierOnSale } from '../engine/membership';
import { EvaluationClock } from './membership-evaluate';
import { hasInvoices, loadTiers, spendQuery, utcDay, utcTimestamp, windowStart } from './membership-facts';
import { outboxInsert } from '../events/outbox';
import { membershipChangedSelect } from '../events/membership';
import { jobStage } from '../jobs/progress';

/**
 * Set-based tier evaluation for the jobs: the same decisions as evaluatePartner (engine/
 * membership.ts decideTier, partnerMembership), written as SQL over every partner of a scope
 * at once, so a million partners take seconds instead of a million round trips. The
 * membership tests run both on the same data and require identical lines and columns.
 *
 * Everything lives in temporary tables of the job's transaction (dropped at commit). Rows go
 * into those with a primary key in id order: a temporary index lives in the session's 8 MB of
 * temp_buffers, and a million keys inserted in hash order thrash it (seconds of local reads
 * and writes per table); in order, every insert lands on the index's last page.
 *   mb_scope(partner_id)   partners to evaluate
 *   mb_spend               their spend per window
 *   mb_decision            the lines to close and open
 *   mb_pm                  recomputed res_partner membership columns
 */

export type BatchResult = {
  partners: number;
  linesOpened: number;
  linesClosed: number;
  partnersUpdated: number;
};

/**
 * Partner ids from `from` (inclusive) to `to` (exclusive): one slice of a full evaluation
 * split over several connections (membership-backfill.ts). A slice decides and writes its
 * partners' lines and the columns of those without an associate member; the columns of
 * associate members read their associate's, possibly in another slice, so they are left to
 * evaluateAssociates once every slice has committed.
 */
export type PartnerRange = { from: number; to: number };

/** Full re-evaluation: every partner with qualifying orders or a tier line in force (of `range` only, when given). */
export async function evaluateAll(cr: Knex.Transaction, clock: EvaluationClock, range?: PartnerRange): Promise<BatchResult> {
  await dropWorkTables(cr);
  await cr.raw(`create temp table mb_scope (partner_id integer primary key) on commit drop`);
  return evaluateScope(cr, clock, true, range);
}

/**
 * The columns of every associate member (and of the partners whose associate is one), from
 * the lines and states as they are now: the last step of a full evaluation split in ranges.
 */
export async function evaluateAssociates(cr: Knex.Transaction, clock: EvaluationClock): Promise<number> {
  await dropWorkTables(cr);
  await cr.raw(`create temp table mb_rc_seed on commit drop as select id from res_partner where associate_member is not null`);
  await cr.raw('alter table mb_rc_seed add primary key (id)');
  // Every partner down an associate chain has an associate itself: the seed holds them all.
  const updated = await recomputeMembershipColumns(cr, utcDay(clock.now), false);
  await dropWorkTables(cr);
  return updated;
}

/** Re-evaluation of given partners (those of a batch of processed orders). */
export async function evaluatePartners(cr: Knex.Transaction, clock: EvaluationClock, partnerIds: number[]): Promise<BatchResult> {
  await dropWorkTables(cr);
  await cr.raw(`create temp table mb_scope (partner_id integer primary key) on commit drop`);
  await cr.raw(`insert into mb_scope select distinct unnest(?::int[])`, [partnerIds]);
  return evaluateScope(cr, clock, false);
}

/**
 * Re-evaluation of the partners whose spend or membership period may have changed since
 * `since` (the previous run's instant): orders written since, orders that left a spend
 * window since, membership lines written or starting/ending since, partners written since
 * (free_member, associate_member).
 */
export async function evaluateChanged(cr: Knex.Transaction, clock: EvaluationClock, since: Date): Promise<BatchResult> {
  const tiers = await loadTiers(cr);
  const windows = [...new Set(tiers.map((t) => t.windowDays))];
  const sinceTs = utcTimestamp(since);
  const sinceDay = utcDay(since);
  const today = utcDay(clock.now);
  const leftWindow = windows.map(() => `(date_order > ? and date_order <= ?)`).join(' or ');
  await dropWorkTables(cr);
  await cr.raw(`create temp table mb_scope (partner_id integer primary key) on commit drop`);
  await cr.raw(
    `insert into mb_scope
     select partner_id from pos_order where partner_id is not null and write_date > ?
     ${windows.length ? `union select partner_id from pos_order where partner_id is not null and (${leftWindow})` : ''}
     union select partner from membership_membership_line
      where partner is not null
        and (write_date > ? or (date_to >= ? and date_to < ?) or (date_from > ? and date_from <= ?))
     union select id from res_partner where write_date > ?
     union select partner from membership_membership_line
      where partner is not null and member_transaction_amount_total is not null and state is distinct from 'free'
     order by 1`,
    [
      sinceTs,
      ...windows.flatMap((w) => [windowStart(since, w), windowStart(clock.now, w)]),
      sinceTs, sinceDay, today, sinceDay, today,
      sinceTs,
    ],
  );
  return evaluateScope(cr, clock, false);
}

/** Whether tier settings changed, or a tier's sale period began or ended, since `since`: then only a full run is right. */
export async function tiersChangedSince(cr: Knex.Transaction, since: Date, now: Date): Promise<boolean> {
  const edited = (
    await cr.raw(
      `select 1 from product_template where membership and write_date > ? limit 1`,
      [utcTimestamp(since)],
    )
  ).rows.length > 0;
  if (edited) return true;
  const tiers = await loadTiers(cr);
  const before = utcDay(since);
  const today = utcDay(now);
  return tiers.some((t) => tierOnSale(t, before) !== tierOnSale(t, today));
}

async function evaluateScope(cr: Knex.Transaction, clock: EvaluationClock, full: boolean, range?: PartnerRange): Promise<BatchResult> {
  // One aggregate per partner and a few sorts over every line: with PostgreSQL's default
  // 4 MB these spill to disk from ~100k partners on. Only this transaction gets more.
  await cr.raw(`set local work_mem = '256MB'`);
  // The plans below are large hash joins estimated at millions of cost units: PostgreSQL would
  // JIT-compile them, which costs seconds and gains nothing at this size.
  await cr.raw(`set local jit = off`);
  const today = utcDay(clock.now);
  const stamp = utcTimestamp(clock.now);
  const tiers = await loadTiers(cr);
  const windows = [...new Set(tiers.map((t) => t.windowDays))];
  if (!windows.length) windows.push(1);
  const spend = spendQuery(windows, clock.now);
  // A range's rows (half of them with two ranges) lie on every page of pos_order and the lines
  // table: the planner would read them through the partner index, a bitmap scan several times
  // slower than the sequential scan every range then does side by side (synchronised scans).
  // `+ 0` keeps the index out of the plan.
  const inRange = (column: string) => (range ? `and ${column} + 0 >= ${Number(range.from)} and ${column} + 0 < ${Number(range.to)}` : '');
  // The sidecar's own lines whose state Odoo recomputed (to 'none': they have no invoice) are
  // its lines still: restored before anything reads them, so none is ever opened twice.
  await restoreTierLines(cr, clock, full ? `true ${inRange('l.partner')}` : 'l.partner in (select partner_id from mb_scope)');

  await cr.raw(
    `create temp table mb_spend on commit drop as
     select partner_id, ${spend.select} from pos_order
      where ${spend.where} and partner_id is not null ${inRange('partner_id')}
        ${full ? '' : 'and partner_id in (select partner_id from mb_scope)'}
      group by partner_id`,
    spend.bindings,
  );
  if (full) {
    await cr.raw(
      `insert into mb_scope
       select partner_id from mb_spend
       union select partner from membership_membership_line l
        where l.partner is not null and l.member_transaction_amount_total is not null and ${inForce('l')} ${inRange('l.partner')}
       order by 1`,
      [today, today, today],
    );
  }
  await cr.raw('analyze mb_scope');
  await cr.raw('analyze mb_spend');
  jobStage('membership: spend per partner computed', { range });

  // The tiers as a relation: which spend window each reads, whether it is on sale today.
  const tierRows = `unnest(?::int[], ?::int[], ?::numeric[], ?::int[], ?::boolean[], ?::date[], ?::int[])
      as t(product_id, rank, min_amount, widx, on_sale, period_to, window_days)`;
  const tierBindings = [
    tiers.map((t) => t.productId),
    tiers.map((t) => t.rank),
    tiers.map((t) => t.minAmount),
    tiers.map((t) => windows.indexOf(t.windowDays) + 1),
    tiers.map((t) => tierOnSale(t, today)),
    tiers.map((t) => t.periodTo),
    tiers.map((t) => t.windowDays),
  ];
  const immediate = clock.policy === 'immediate';
  // Same rules as decideTier: the best tier on sale whose threshold the spend meets, unless
  // an invoice-bought line in force ranks as high; upgrade closes the granted line and opens
  // the new one; a lower tier (or none) replaces it only under the immediate policy.
  await cr.raw(
    `create temp table mb_decision on commit drop as
     with tiers as (select * from ${tierRows}),
     earned as (
       select distinct on (sp.partner_id) sp.partner_id, t.product_id, t.rank, sp.amounts[t.widx] as amount, t.period_to, t.window_days
         from mb_spend sp join tiers t on t.on_sale and sp.amounts[t.widx] >= t.min_amount
        order by sp.partner_id, t.rank desc, t.min_amount desc, t.product_id),
     lines as (
       select l.id, l.partner, l.membership_id, l.member_transaction_amount_total is not null as granted
         from membership_membership_line l join mb_scope s on s.partner_id = l.partner
        where ${inForce('l')}),
     held as (
       select l.partner, max(t.rank) as rank from lines l join tiers t on t.product_id = l.membership_id
        where not l.granted group by l.partner),
     granted as (
       select distinct on (l.partner) l.partner, l.id, coalesce(t.rank::float8, '-infinity') as rank
         from lines l left join tiers t on t.product_id = l.membership_id
        where l.granted order by l.partner, 3 desc, l.id desc),
     decided as (
       select s.partner_id, e.product_id as e_product, e.rank as e_rank, e.amount, e.period_to, e.window_days,
              g.id as g_id, g.rank as g_rank
         from mb_scope s
         left join held h on h.partner = s.partner_id
         left join earned e on e.partner_id = s.partner_id and (h.rank is null or e.rank > h.rank)
         left join granted g on g.partner = s.partner_id),
     actions as (
       select *, g_id is not null and ((e_rank is not null and e_rank > g_rank)
                  or (?::boolean and (e_rank is null or e_rank < g_rank))) as close
         from decided)
     select *, e_product is not null and (g_id is null or close) as open from actions
      where close or (e_product is not null and g_id is null)`,
    [...tierBindings, today, today, today, immediate] as unknown as Knex.RawBinding[],
  );

  jobStage('membership: tiers decided', { range });
  const closed = await cr.raw(
    `update membership_membership_line l set date_cancel = ?, write_uid = ?, write_date = ?
       from mb_decision d where d.close and l.id = d.g_id`,
    [today, clock.uid, stamp],
  );
  // The new lines, and one membership.changed event per decided partner (events/outbox.ts).
  const openedCount = (await cr.raw(
    `with opened as (
     insert into membership_membership_line
       (partner, membership_id, date_from, date_to, date, member_price, state, company_id,
        member_transaction_amount_total, create_uid, write_uid, create_date, write_date)
     select d.partner_id, d.e_product, ?::date, coalesce(d.period_to, ?::date + (d.window_days - 1)), ?::date, 0, 'free',
            coalesce(p.company_id, pt.company_id, (select min(id) from res_company)),
            d.amount, ?, ?, ?, ?
       from mb_decision d
       join res_partner p on p.id = d.partner_id
       join product_product pp on pp.id = d.e_product
       join product_template pt on pt.id = pp.product_tmpl_id
      where d.open
      -- In partner order, the foreign-key check locks res_partner rows page after page, and
      -- the partner index grows at its end, instead of both jumping around tables larger than
      -- shared_buffers.
      order by d.partner_id
     returning id, partner),
     events as (${outboxInsert(cr, membershipChangedSelect('mb_decision', 'opened'))})
     select count(*)::int as n from opened`,
    [today, today, today, clock.uid, clock.uid, stamp, stamp],
  )).rows[0].n as number;

  // The lines table may have grown by a large share: let the planner see it before reading it
  // again. Not in a range: ANALYZE holds its table lock to the end of the transaction, so the
  // other ranges' ANALYZE would wait for this one to commit (the split runs it once, after).
  jobStage('membership: tier lines written', { range, opened: openedCount, closed: closed.rowCount ?? 0 });
  if (openedCount > 10_000 && !range) await cr.raw('analyze membership_membership_line');

  // Partner columns: every evaluated partner (their period may have moved with the date); in
  // a full run, every partner whose stored columns Odoo's computation could change instead:
  // an evaluated partner outside that set has no line, no associate, is not free, and stores
  // 'none' or NULL and no dates; the computation gives it 'none' and no dates, so only a NULL
  // state can change (the first back-fill leaves out a third of the partners this way).
  await cr.raw(`create temp table mb_rc_seed (id integer primary key) on commit drop`);
  if (full) {
    await cr.raw(
      `insert into mb_rc_seed
       select distinct partner from membership_membership_line where partner is not null ${inRange('partner')}
       union select id from res_partner
        where (free_member or associate_member is not null
           or coalesce(membership_state, 'none') <> 'none'
           or membership_start is not null or membership_stop is not null or membership_cancel is not null) ${inRange('id')}
       union select s.partner_id from mb_scope s join res_partner p on p.id = s.partner_id where p.membership_state is null
       order by 1`,
    );
  } else {
    await cr.raw(`insert into mb_rc_seed select partner_id from mb_scope`);
  }
  if (range) await cr.raw(`delete from mb_rc_seed s using res_partner p where p.id = s.id and p.associate_member is not null`);
  // A full run's seed holds every partner with an associate, so it already holds every dependent.
  const partnersUpdated = await recomputeMembershipColumns(cr, today, !full);
  const partners = Number((await cr.raw('select count(*) as n from mb_scope')).rows[0].n);
  jobStage('membership: partner columns written', { range, partners, updated: partnersUpdated });
  await dropWorkTables(cr);
  return { partners, linesOpened: openedCount, linesClosed: closed.rowCount ?? 0, partnersUpdated };
}

/**
 * Lines the sidecar granted are 'free' (member_transaction_amount_total marks them). Odoo's own
 * recomputation of a line's state gives a line without an invoice 'none' (the bridge addon makes
 * Odoo keep 'free'): those lines, among the ones `where` selects (alias l), are set back.
 */
export async function restoreTierLines(cr: Knex.Transaction, clock: EvaluationClock, where: string, bindings: Knex.RawBinding[] = []): Promise<number> {
  const restored = await cr.raw(
    `update membership_membership_line l set state = 'free', write_uid = ?, write_date = ?
      where l.member_transaction_amount_total is not null and l.state is distinct from 'free' and ${where}`,
    [clock.uid, utcTimestamp(clock.now), ...bindings],
  );
  return restored.rowCount ?? 0;
}

/** The work tables die with the transaction; dropping them early lets one transaction run several evaluations. */
async function dropWorkTables(cr: Knex.Transaction): Promise<void> {
  await cr.raw('drop table if exists mb_scope, mb_spend, mb_decision, mb_rc_seed, mb_rc, mb_pm');
}

/** SQL twin of lineInForce(): in its period today, not cancelled by today, a member state. Binds today three times. */
function inForce(alias: string): string {
  return `coalesce(${alias}.date_from, '${DATE_MIN}') <= ?::date and coalesce(${alias}.date_to, '${DATE_MIN}') >= ?::date
          and (${alias}.date_cancel is null or ${alias}.date_cancel > ?::date) and ${alias}.state in ('invoiced', 'paid', 'free')`;
}

/**
 * SQL twin of partnerMembership() for the partners in mb_rc_seed and (when
 * `expandDependents`) every partner whose associate_member chain leads to one of them;
 * writes the rows that differ. Returns how many partners changed.
 */
async function recomputeMembershipColumns(cr: Knex.Transaction, today: IsoDate, expandDependents: boolean): Promise<number> {
  if (expandDependents) {
    await cr.raw(
      `create temp table mb_rc on commit drop as
       with recursive dep(id, depth) as (
         select id, 0 from mb_rc_seed
         union
         select p.id, d.depth + 1 from res_partner p join dep d on p.associate_member = d.id where d.depth < 100)
       select distinct id from dep`,
    );
    await cr.raw('alter table mb_rc add primary key (id)');
  } else {
    await cr.raw('alter table mb_rc_seed rename to mb_rc');
  }
  await cr.raw('analyze mb_rc');
  const invoices = await hasInvoices(cr);
  const invoiceCols = invoices
    ? `coalesce(m.payment_state in ('in_payment', 'paid'), false) as inv_paid, coalesce(m.state = 'cancel', false) as inv_cancel`
    : `false as inv_paid, false as inv_cancel`;
  const hasInvoice = invoices ? 'm.id is not null' : 'false';
  const invoiceJoin = invoices
    ? `left join account_move_line aml on aml.id = l.account_invoice_line left join account_move m on m.id = aml.move_id`
    : '';
  const from = `coalesce(l.date_from, '${DATE_MIN}')`;
  const to = `coalesce(l.date_to, '${DATE_MIN}')`;
  // The deciding line: newest first, the first covering today or ended before today; a tier the
  // sidecar granted gives way to the newest line bought on an invoice that covers today (ownMembershipState).
  await cr.raw(
    `create temp table mb_pm on commit drop as
     with deciding as (
       select distinct on (l.partner) l.partner, l.state, (${to} >= ?::date and ${from} <= ?::date) as covers, ${invoiceCols},
              l.member_transaction_amount_total is not null as tier
         from membership_membership_line l join mb_rc r on r.id = l.partner ${invoiceJoin}
        where (${to} >= ?::date and ${from} <= ?::date) or (${from} < ?::date and ${to} <= ?::date and ${from} < ${to})
        order by l.partner, l.id desc),
     bought as (
       select distinct on (l.partner) l.partner, l.state
         from membership_membership_line l join mb_rc r on r.id = l.partner ${invoiceJoin}
        where ${hasInvoice} and ${to} >= ?::date and ${from} <= ?::date
        order by l.partner, l.id desc),
     dated as (
       -- Of the partners and of their associates (whose period an associate member shows): few
       -- partners have an associate, so those come through the partial associate index instead
       -- of a join of every partner.
       select l.partner, min(l.date_from) as start,
              case when count(*) = count(l.date_to) then max(l.date_to) end as stop
         from membership_membership_line l
        where l.date_cancel is null
          and (l.partner in (select id from mb_rc)
               or l.partner in (select p.associate_member from res_partner p join mb_rc r on r.id = p.id
                                 where p.associate_member is not null))
        group by l.partner),
     cancels as (
       select l.partner, min(l.date_cancel) as cancel
         from membership_membership_line l join mb_rc r on r.id = l.partner group by l.partner)
     select p.id, p.associate_member as assoc,
            case
              when p.associate_member is not null then (select a.membership_state from res_partner a where a.id = p.associate_member)
              when p.free_member and p.membership_state is distinct from 'paid' then 'free'
              when d.partner is null then 'none'
              when d.tier and not coalesce(p.free_member, false) and b.partner is not null then b.state
              when d.covers then d.state
              when d.inv_paid then 'old'
              when d.inv_cancel then 'canceled'
              else p.membership_state
            end::varchar as state,
            dt.start, dt.stop, c.cancel
       from mb_rc r
       join res_partner p on p.id = r.id
       left join deciding d on d.partner = p.id
       left join bought b on b.partner = p.id
       left join dated dt on dt.partner = coalesce(p.associate_member, p.id)
       left join cancels c on c.partner = p.id`,
    [today, today, today, today, today, today, today, today],
  );
  await cr.raw('alter table mb_pm add primary key (id)');
  // Associate members take their associate's new state, down the chains (acyclic: Odoo's
  // constraint; bounded anyway at its 100 levels).
  for (let level = 0; level <= 100; level++) {
    const moved = await cr.raw(
      `update mb_pm a set state = b.state from mb_pm b where a.assoc = b.id and a.state is distinct from b.state`,
    );
    if (!moved.rowCount) break;
  }
  const written = await cr.raw(
    `update res_partner p
        set membership_state = m.state, membership_start = m.start, membership_stop = m.stop, membership_cancel = m.cancel
       from mb_pm m
      where p.id = m.id
        and (p.membership_state is distinct from m.state or p.membership_start is distinct from m.start
             or p.membership_stop is distinct from m.stop or p.membership_cancel is distinct from m.cancel)`,
  );
  return written.rowCount ?? 0;
}

/**
 * `npm run seed:scale -- --partners N --orders M [--lines L] [--cards F] [--refunds F] [--seed S] [--moves K] [--rewards F] [--order-moves]`
 *
 * Fills DATABASE_URL (a restored Odoo 17 dump, or a standalone database with its seeds) with
 * benchmark volume: N customers, one closed POS session per day over two years, M POS orders
 * with L lines each (0..10), a share of refunds that negate an earlier order line by line, and
 * loyalty cards with points for a share of the new customers. --rewards gives a share of the
 * orders a discount reward line of one of the database's programs (the reports' promotions);
 * --order-moves writes the points the card holders' orders earned (and their refunds took back)
 * to the ledger, linked to the orders.
 *
 * Everything is set-based SQL run inside PostgreSQL (generate_series): no row crosses the wire,
 * so 1M orders take a minute or so rather than hours. Values derive from hashes of the row
 * number and --seed, so a run is reproducible and a refund can recompute the lines of the order
 * it reverses without storing them first.
 */
import { Client } from 'pg';
import { parseArgs } from 'node:util';

interface Options {
  partners: number;
  orders: number;
  lines: number;
  /** Share of the new partners that get a loyalty card. */
  cards: number;
  /** Share of orders that are refunds. */
  refunds: number;
  seed: number;
  /** Loyalty program of the cards (default: the first active program of type loyalty). */
  program: number | null;
  /** Point moves to write to the ledger (loyalty_point_move) of the cards, about this many. */
  moves: number;
  /** Last day of the two years of orders, YYYY-MM-DD (default: yesterday). */
  end: string | null;
  /** Share of orders with a discount reward line of a real program (10% of the order, tax included). */
  rewards: number;
  /** Earn moves (1 point per currency unit) for the orders of card holders, refund moves for their refunds. */
  orderMoves: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      partners: { type: 'string', default: '1000' },
      orders: { type: 'string', default: '10000' },
      lines: { type: 'string', default: '3' },
      cards: { type: 'string', default: '0.6' },
      refunds: { type: 'string', default: '0.03' },
      seed: { type: 'string', default: '1' },
      program: { type: 'string' },
      moves: { type: 'string', default: '0' },
      end: { type: 'string' },
      rewards: { type: 'string', default: '0' },
      'order-moves': { type: 'boolean', default: false },
    },
  });
  const int = (name: string, v: string, min: number, max: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer in ${min}..${max}, got ${v}`);
    return n;
  };
  const share = (name: string, v: string, max: number) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0 || n > max) throw new Error(`--${name} must be a number in 0..${max}, got ${v}`);
    return n;
  };
  if (values.end !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.end)) throw new Error('--end must be YYYY-MM-DD');
  return {
    partners: int('partners', values.partners!, 0, 100_000_000),
    orders: int('orders', values.orders!, 0, 1_000_000_000),
    lines: int('lines', values.lines!, 0, 10),
    cards: share('cards', values.cards!, 1),
    refunds: share('refunds', values.refunds!, 0.5),
    seed: int('seed', values.seed!, 0, 1_000_000),
    program: values.program === undefined ? null : int('program', values.program, 1, 2 ** 31 - 1),
    moves: int('moves', values.moves!, 0, 1_000_000_000),
    end: values.end ?? null,
    rewards: share('rewards', values.rewards!, 1),
    orderMoves: values['order-moves'] ?? false,
  };
}

/**
 * u(k): a uniform number in [0, 1) from the integer expression k and the seed. Each attribute
 * uses its own k (row number × a stride + an attribute slot) so attributes are independent.
 */
const u = (k: string, seed: number) => `((hashint8((${k})::bigint * 31 + ${seed}) & 2147483647)::float8 / 2147483648.0)`;

const FIRST = ['Anna', 'Ben', 'Chloé', 'David', 'Elif', 'Farid', 'Grace', 'Hugo', 'Inès', 'Jonas', 'Kenji', 'Léa', 'Marta', 'Nils', 'Olga', 'Pablo', 'Quentin', 'Rosa', 'Sven', 'Tariq', 'Uma', 'Victor', 'Wen', 'Yusuf', 'Zoé'];
const LAST = ['Adams', 'Bauer', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'García', 'Haddad', 'Ivanova', 'Jensen', 'Kowalski', 'Lambert', 'Moreau', 'Nakamura', 'Okafor', 'Petit', 'Rossi', 'Schmidt', 'Tanaka', 'Novak', 'Weber', 'Yilmaz', 'Zhang'];
const sqlArray = (items: string[]) => `ARRAY[${items.map((s) => `'${s.replace(/'/g, "''")}'`).join(',')}]`;

class Timer {
  private readonly start = Date.now();
  private last = this.start;
  step(label: string, rows?: number): void {
    const now = Date.now();
    const secs = (now - this.last) / 1000;
    const rate = rows && secs > 0 ? ` (${Math.round(rows / secs).toLocaleString('en-US')} rows/s)` : '';
    process.stdout.write(`${label.padEnd(34)} ${secs.toFixed(1).padStart(7)} s${rows !== undefined ? `  ${rows.toLocaleString('en-US')} rows` : ''}${rate}\n`);
    this.last = now;
  }
  total(): number {
    return (Date.now() - this.start) / 1000;
  }
}

async function nextId(c: Client, table: string): Promise<number> {
  return Number((await c.query(`select coalesce(max(id), 0) + 1 as id from ${table}`)).rows[0].id);
}

async function resetSequence(c: Client, table: string): Promise<void> {
  await c.query(`select setval(pg_get_serial_sequence($1, 'id'), greatest((select max(id) from ${table}), 1))`, [table]);
}

async function run(c: Client, o: Options): Promise<void> {
  const t = new Timer();
  const s = o.seed;
  const config = (await c.query(`select id, company_id, journal_id, pricelist_id from pos_config order by id limit 1`)).rows[0];
  if (!config) throw new Error('no pos_config in this database: load an Odoo dump or the standalone seeds first');
  const user = (await c.query(`select id from res_users where active order by (id = 2) desc, id limit 1`)).rows[0];
  const program = o.program ?? (await c.query(`select id from loyalty_program where program_type = 'loyalty' and active order by id limit 1`)).rows[0]?.id;
  // Default: yesterday, so no order lies in the future of a clock that reads today.
  const end = o.end ?? new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

  await c.query('begin');
  // Foreign keys are satisfied by construction; skipping their per-row triggers (as pg_restore
  // --disable-triggers does) roughly halves the time. Needs a superuser; otherwise they run.
  const fastFk = await c
    .query('set local session_replication_role = replica')
    .then(() => true)
    .catch(async () => {
      await c.query('rollback');
      await c.query('begin');
      return false;
    });
  await c.query(`set local work_mem = '256MB'`);
  await c.query(`set local synchronous_commit = off`);

  // Products a till sells: active, saleable, with a price; their sale taxes as one rate.
  await c.query(`
    create temp table scale_product on commit drop as
    select row_number() over (order by p.id)::int as ord, p.id, t.list_price::numeric as price,
           coalesce(t.name->>'en_US', t.name->>(select min(k) from jsonb_object_keys(t.name) k)) as name,
           coalesce((select sum(x.amount) / 100 from product_taxes_rel r join account_tax x on x.id = r.tax_id
                     where r.prod_id = t.id and x.amount_type = 'percent' and not coalesce(x.price_include, false)), 0)::numeric as rate
      from product_product p join product_template t on t.id = p.product_tmpl_id
     where p.active and t.active and t.sale_ok and t.list_price > 0 and not coalesce(t.membership, false)
       and t.detailed_type <> 'combo'`);
  const nProducts = Number((await c.query('select count(*) as n from scale_product')).rows[0].n);
  if (o.lines > 0 && nProducts === 0) throw new Error('no saleable product with a price in this database');

  // Partners.
  const p0 = await nextId(c, 'res_partner');
  if (o.partners > 0) {
    const first = sqlArray(FIRST);
    const last = sqlArray(LAST);
    await c.query(`
      insert into res_partner (id, name, complete_name, commercial_partner_id, type, active, is_company, partner_share,
                               customer_rank, supplier_rank, lang, email, email_normalized, phone, phone_sanitized, city, zip,
                               membership_state, free_member, create_uid, write_uid, create_date, write_date)
      select id, nm, nm, id, 'contact', true, false, true, 1, 0, 'en_US', em, em, ph, ph, ct, zp, 'none', false, $1, $1, cd, cd
        from (select g + ${p0 - 1} as id,
                     (${first})[1 + floor(${u('g * 8 + 1', s)} * ${FIRST.length})::int] || ' ' ||
                     (${last})[1 + floor(${u('g * 8 + 2', s)} * ${LAST.length})::int] as nm,
                     'customer' || (g + ${p0 - 1}) || '@example.com' as em,
                     '+1 555 ' || lpad(((g::bigint * 7919) % 10000000)::text, 7, '0') as ph,
                     (ARRAY['Brussels','Chicago','Lyon','Porto','Gdańsk','Osaka'])[1 + floor(${u('g * 8 + 3', s)} * 6)::int] as ct,
                     lpad((1000 + floor(${u('g * 8 + 4', s)} * 8999))::int::text, 5, '0') as zp,
                     ($2::date - (floor(${u('g * 8 + 5', s)} * 1500)::int)) + time '09:00' as cd
                from generate_series(1, ${o.partners}) g) x`,
      [user.id, end],
    );
    await resetSequence(c, 'res_partner');
  }
  t.step('res_partner', o.partners);

  // The partners orders go to: this run's, else the database's customers. 10% are anonymous.
  const pool = o.partners > 0
    ? { base: p0, count: o.partners }
    : { base: 0, count: Number((await c.query(`select count(*) as n from res_partner where active and not is_company`)).rows[0].n) };
  if (o.partners === 0) {
    await c.query(`create temp table scale_partner on commit drop as
                   select row_number() over (order by id)::int as ord, id from res_partner where active and not is_company`);
  }

  // One closed session per day over the two years before --end.
  const days = 730;
  const s0 = await nextId(c, 'pos_session');
  await c.query(`
    insert into pos_session (id, config_id, user_id, name, state, sequence_number, login_number, update_stock_at_closing,
                             start_at, stop_at, create_uid, write_uid, create_date, write_date)
    select ${s0} + d, $1, $2, 'POS/S' || lpad((${s0} + d)::text, 6, '0'), 'closed', 1, 0, true,
           ($3::date - (${days - 1} - d)) + time '08:00', ($3::date - (${days - 1} - d)) + time '20:00', $2, $2,
           ($3::date - (${days - 1} - d)) + time '08:00', ($3::date - (${days - 1} - d)) + time '20:00'
      from generate_series(0, ${days - 1}) d`,
    [config.id, user.id, end],
  );
  await resetSequence(c, 'pos_session');
  t.step('pos_session', days);

  // The plan of every order: which order it is the refund of (src), its day, partner and state.
  // A refund reverses the order just before it (never itself a refund: refunds are even rows).
  const o0 = await nextId(c, 'pos_order');
  const partnerOf = pool.count === 0
    ? 'null::int'
    : o.partners > 0
      ? `case when ${u('src * 16 + 2', s)} < 0.1 then null else ${pool.base} + floor(${u('src * 16 + 3', s)} * ${pool.count})::int end`
      : `case when ${u('src * 16 + 2', s)} < 0.1 then null else (select id from scale_partner where ord = 1 + floor(${u('src * 16 + 3', s)} * ${pool.count})::int) end`;
  await c.query(`
    create temp table scale_order on commit drop as
    select g, src, refund, ${o0 - 1} + g as id, ${o0 - 1} + src as src_id, ${partnerOf} as partner_id,
           day, ($1::date - (${days - 1} - day)) + time '08:30' + make_interval(secs => floor(${u('g * 16 + 5', s)} * 41400)) as date_order,
           case when refund then 'paid' when day > ${days - 3} and ${u('g * 16 + 6', s)} < 0.5 then 'paid'
                when ${u('g * 16 + 6', s)} < 0.08 then 'invoiced' else 'done' end as state
      from (select g, refund, case when refund then g - 1 else g end as src,
                   floor(${u('(case when refund then g - 1 else g end) * 16 + 4', s)} * ${days})::int as day
              from (select g, (g % 2 = 0 and ${u('g * 16 + 1', s)} < ${2 * o.refunds}) as refund
                      from generate_series(1, ${o.orders}) g) a) b`,
    [end],
  );
  t.step('order plan (temp)', o.orders);

  // Lines: products and quantities derive from the source order, so a refund negates them.
  await c.query(`
    create temp table scale_line on commit drop as
    select l.*, round(l.price * l.qty * (1 - l.discount / 100), 2) as subtotal
      from (select so.id as order_id, so.g, ln, so.refund,
                   case when so.refund then ${o0 - 1} + so.src end as src_order_id,
                   pr.id as product_id, pr.name, pr.price, pr.rate,
                   ((1 + floor(${u('so.src * 16 + ln', s + 2)} * 3)) * case when so.refund then -1 else 1 end)::numeric as qty,
                   case when ${u('so.src * 16 + ln', s + 3)} < 0.05 then 10 else 0 end::numeric as discount
              from scale_order so cross join generate_series(1, ${o.lines}) ln
              join scale_product pr on pr.ord = 1 + floor(${u('so.src * 32 + ln', s + 1)} * ${Math.max(nProducts, 1)})::int) l`,
  );
  t.step('line plan (temp)', o.orders * o.lines);
  const nRewards = o.rewards > 0 && o.lines > 0 ? await planRewards(c, o) : 0;
  if (nRewards) t.step('reward plan (temp)', nRewards);

  // Orders without lines get plausible totals of their own (15% tax included), computed in
  // the insert itself: a second pass over millions of rows would rewrite every index entry.
  const ownTotal = `round((5 + ${u('so.g * 16 + 9', s)} * 295)::numeric, 2) * case when so.refund then -1 else 1 end`;
  const amount = (part: 'tax' | 'total') =>
    o.lines > 0 ? `coalesce(a.${part}, 0)${part === 'total' && nRewards ? ' + coalesce(r.amount, 0)' : ''}`
      : part === 'total' ? ownTotal : `round(${ownTotal} * 15 / 115, 2)`;
  await c.query(`
    insert into pos_order (id, name, pos_reference, sequence_number, session_id, config_id, company_id, user_id, partner_id,
                           pricelist_id, sale_journal, state, date_order, amount_tax, amount_total, amount_paid, amount_return,
                           currency_rate, tip_amount, to_invoice, is_tipped, nb_print, access_token, ticket_code,
                           create_uid, write_uid, create_date, write_date)
    select so.id, 'Shop/' || lpad(so.id::text, 7, '0') || case when so.refund then ' REFUND' else '' end,
           'Order ' || lpad((${s0} + so.day)::text, 5, '0') || '-001-' || lpad(so.g::text, 7, '0'), so.g,
           ${s0} + so.day, $1, $2, $3, so.partner_id, $4, $5, so.state, so.date_order,
           ${amount('tax')}, ${amount('total')}, ${amount('total')}, 0, 1, 0, so.state = 'invoiced', false, 0,
           md5(so.id::text || '${s}'), substr(md5(so.id::text), 1, 5), $3, $3, so.date_order, so.date_order
      from scale_order so
      left join (select order_id, sum(round(subtotal * rate, 2)) as tax, sum(subtotal + round(subtotal * rate, 2)) as total
                   from scale_line group by order_id) a on a.order_id = so.id
      ${nRewards ? 'left join scale_reward r on r.order_id = so.id' : ''}`,
    [config.id, config.company_id, user.id, config.pricelist_id, config.journal_id],
  );
  await resetSequence(c, 'pos_order');
  t.step('pos_order', o.orders);

  if (o.lines > 0) {
    const l0 = await nextId(c, 'pos_order_line');
    // Line ids follow (order row, line number), so a refund line can name the line it reverses.
    const lineId = (g: string, ln: string) => `${l0 - 1} + (${g} - 1) * ${o.lines} + ${ln}`;
    await c.query(`
      insert into pos_order_line (id, order_id, product_id, company_id, name, full_product_name, uuid, price_unit, qty, discount,
                                  price_subtotal, price_subtotal_incl, price_extra, refunded_orderline_id, is_reward_line,
                                  skip_change, is_total_cost_computed, create_uid, write_uid, create_date, write_date)
      select ${lineId('sl.g', 'sl.ln')}, sl.order_id, sl.product_id, $1, 'Shop/' || lpad(sl.order_id::text, 7, '0') || '/' || sl.ln,
             sl.name, md5(sl.order_id::text || '/' || sl.ln)::uuid::text, sl.price, sl.qty, sl.discount,
             sl.subtotal, sl.subtotal + round(sl.subtotal * sl.rate, 2), 0,
             case when sl.refund then ${lineId('sl.g - 1', 'sl.ln')} end, false, false, false, $2, $2, now() at time zone 'utc', now() at time zone 'utc'
        from scale_line sl`,
      [config.company_id, user.id],
    );
    await resetSequence(c, 'pos_order_line');
  }
  t.step('pos_order_line', o.orders * o.lines);
  if (nRewards) {
    await insertRewardLines(c, config.company_id, user.id);
    t.step('pos_order_line (rewards)', nRewards);
  }

  let nCards = 0;
  const firstCard = await nextId(c, 'loyalty_card');
  if (program && o.partners > 0 && o.cards > 0) {
    const c0 = await nextId(c, 'loyalty_card');
    // Codes embed the card id in hex (Odoo's look: 044x-xxxx-xxxx), so they are unique.
    const res = await c.query(`
      insert into loyalty_card (id, program_id, company_id, partner_id, code, points, create_uid, write_uid, create_date, write_date)
      select ${c0} + row_number() over () - 1 as id, $1, $2, p, 
             '04' || substr(h, 1, 2) || '-' || substr(h, 3, 4) || '-' || substr(h, 7, 2) || substr(md5(p::text), 1, 2),
             round((${u('p * 8 + 6', s)} * 2000)::numeric, 0)::float8, $3, $3, now() at time zone 'utc', now() at time zone 'utc'
        from (select p, lpad(to_hex(${c0} + (p - ${p0})), 8, '0') as h
                from generate_series(${p0}, ${p0 + o.partners - 1}) p
               where ${u('p * 8 + 7', s)} < ${o.cards}) x`,
      [program, config.company_id, user.id],
    );
    nCards = res.rowCount ?? 0;
    await resetSequence(c, 'loyalty_card');
  }
  t.step('loyalty_card', nCards);

  let nMoves = 0;
  if (o.moves > 0) nMoves = await seedLedger(c, t, o, nCards > 0 ? firstCard : 0, end, user.id);
  if (o.orderMoves && nCards > 0) {
    const n = await seedOrderMoves(c, firstCard, user.id);
    t.step('loyalty_point_move (orders)', n);
    nMoves += n;
  }
  if (nMoves) {
    await cardPointsFromMoves(c, nCards > 0 ? firstCard : 0);
    t.step('loyalty_card points = sum(moves)', undefined);
  }

  await c.query('commit');
  t.step('commit', undefined);
  await c.query(`analyze res_partner, pos_session, pos_order, pos_order_line, loyalty_card${nMoves ? ', loyalty_point_move' : ''}`);
  t.step('analyze', undefined);
  process.stdout.write(
    `done in ${t.total().toFixed(1)} s: ${o.partners} partners, ${o.orders} orders x ${o.lines} lines, ${nCards} cards` +
      ` (program ${program ?? 'none'}), ${nMoves} point moves, foreign-key triggers ${fastFk ? 'skipped (replica role)' : 'checked'}\n`,
  );
}

/**
 * --moves: a points ledger over the cards (those made by this run, else every card) that the
 * sidecar's own writes could have left, about `o.moves` rows of loyalty_point_move. Earned lots
 * of 10..500 points on days over the two years before --end, each valid 365 days: a lot whose
 * last valid day is before --end has expired (an expire move drew it to 0); one whose day is
 * --end is due at the next daily expiry; later ones are open, a third of them half redeemed.
 * The cards' points are set to the sum of their moves (and open lots hold the positive
 * balance), so the ledger's audit finds nothing; no history lines are written.
 */
async function seedLedger(c: Client, t: Timer, o: Options, firstCard: number, end: string, uid: number): Promise<number> {
  const s = o.seed;
  const ledger = (await c.query(`select to_regclass('loyalty_point_move') as t`)).rows[0].t;
  if (!ledger) throw new Error('--moves needs the sidecar\'s ledger tables: run npm run migrate on this database first');
  await c.query(`create temp table scale_card on commit drop as
                 select row_number() over (order by id)::int as ord, id, company_id from loyalty_card where id >= $1`, [firstCard]);
  const nCards = Number((await c.query('select count(*) as n from scale_card')).rows[0].n);
  if (nCards === 0) throw new Error('--moves needs loyalty cards: give --cards a share of new --partners, or run it on a database with cards');
  // An earn row gives 1 + 1/2 (expired) + 1/6 (redeemed) moves on average.
  const lots = Math.max(1, Math.round(o.moves * 0.6));
  const m0 = await nextId(c, 'loyalty_point_move');
  await c.query(`
    create temp table scale_lot on commit drop as
    select ${m0 - 1} + g as id, sc.id as card_id, sc.company_id, pts, day, day + 365 as valid_until,
           case when day + 365 < $1::date then 'expired' when day + 365 = $1::date then 'due'
                when ${u('g * 8 + 3', s + 5)} < 1.0 / 3 then 'redeemed' else 'open' end as fate
      from (select g, round((10 + ${u('g * 8 + 1', s + 5)} * 490)::numeric, 0) as pts,
                   $1::date - floor(${u('g * 8 + 2', s + 5)} * 730)::int as day
              from generate_series(1, ${lots}) g) x
      join scale_card sc on sc.ord = 1 + (x.g % ${nCards})`, [end]);
  const cols = 'id, card_id, kind, points, remaining, expiration_date, lot_id, reason, company_id, create_uid, create_date, write_uid, write_date';
  const earns = await c.query(`
    insert into loyalty_point_move (${cols})
    select id, card_id, 'earn', pts, case fate when 'expired' then 0 when 'redeemed' then pts - floor(pts / 2) else pts end,
           valid_until, null, 'seed:scale', company_id, $1, day + time '12:00', $1, day + time '12:00'
      from scale_lot order by id`, [uid]);
  await resetSequence(c, 'loyalty_point_move');
  const drawn = await c.query(`
    insert into loyalty_point_move (card_id, kind, points, remaining, lot_id, reason, company_id, create_uid, create_date, write_uid, write_date)
    select card_id, case fate when 'expired' then 'expire' else 'redeem' end,
           case fate when 'expired' then -pts else -floor(pts / 2) end, 0,
           case fate when 'expired' then id end, 'seed:scale', company_id, $1,
           case fate when 'expired' then valid_until + 1 else day + 30 end + time '00:05', $1,
           case fate when 'expired' then valid_until + 1 else day + 30 end + time '00:05'
      from scale_lot where fate in ('expired', 'redeemed') order by id`, [uid]);
  await resetSequence(c, 'loyalty_point_move');
  const moves = (earns.rowCount ?? 0) + (drawn.rowCount ?? 0);
  t.step('loyalty_point_move', moves);
  return moves;
}

/** The cards' points (those from firstCard on) set to the sum of their moves, as the ledger keeps them. */
async function cardPointsFromMoves(c: Client, firstCard: number): Promise<void> {
  await c.query(`
    update loyalty_card lc set points = m.total
      from (select card_id, sum(points)::float8 as total from loyalty_point_move
             where card_id >= $1 group by card_id) m
     where lc.id = m.card_id`, [firstCard]);
  await c.query(`update loyalty_card lc set points = 0 where lc.id >= $1
                   and not exists (select 1 from loyalty_point_move m where m.card_id = lc.id)`, [firstCard]);
}

/**
 * --rewards: which orders carry a discount reward line, and of which reward (any active
 * discount reward of an active program with its discount product): 10% of the order's lines,
 * tax included. The choice derives from the source order, so a refund carries the negation
 * of its original's reward line.
 */
async function planRewards(c: Client, o: Options): Promise<number> {
  const s = o.seed;
  await c.query(`
    create temp table scale_reward_choice on commit drop as
    select row_number() over (order by r.id)::int as ord, r.id as reward_id, r.discount_line_product_id as product_id,
           coalesce(r.description->>'en_US', 'Discount') as name
      from loyalty_reward r join loyalty_program p on p.id = r.program_id
     where coalesce(r.active, true) and p.active and r.reward_type = 'discount' and r.discount_line_product_id is not null`);
  const choices = Number((await c.query('select count(*) as n from scale_reward_choice')).rows[0].n);
  if (!choices) throw new Error('--rewards needs an active discount reward with a discount product in this database');
  const res = await c.query(`
    create temp table scale_reward on commit drop as
    select so.id as order_id, so.g, so.refund, rc.reward_id, rc.product_id, rc.name, -round(a.total * 0.1, 2) as amount
      from scale_order so
      join (select order_id, sum(subtotal + round(subtotal * rate, 2)) as total from scale_line group by order_id) a on a.order_id = so.id
      join scale_reward_choice rc on rc.ord = 1 + floor(${u('so.src * 16 + 10', s + 6)} * ${choices})::int
     where ${u('so.src * 16 + 11', s + 6)} < ${o.rewards}`);
  return res.rowCount ?? 0;
}

/** The reward lines of scale_reward; ids follow the order row, so a refund's line names its original's. */
async function insertRewardLines(c: Client, companyId: number, uid: number): Promise<void> {
  const r0 = await nextId(c, 'pos_order_line');
  await c.query(`
    insert into pos_order_line (id, order_id, product_id, company_id, name, full_product_name, uuid, price_unit, qty, discount,
                                price_subtotal, price_subtotal_incl, price_extra, refunded_orderline_id, is_reward_line,
                                reward_id, reward_identifier_code, points_cost, skip_change, is_total_cost_computed,
                                create_uid, write_uid, create_date, write_date)
    select ${r0 - 1} + r.g, r.order_id, r.product_id, $1, r.name, r.name, md5(r.order_id::text || '/reward')::uuid::text,
           case when r.refund then -r.amount else r.amount end, case when r.refund then -1 else 1 end, 0,
           r.amount, r.amount, 0, case when r.refund then ${r0 - 1} + r.g - 1 end, true,
           r.reward_id, 'scale' || r.g, 0, false, false, $2, $2, now() at time zone 'utc', now() at time zone 'utc'
      from scale_reward r`, [companyId, uid]);
  await resetSequence(c, 'pos_order_line');
}

/**
 * --order-moves: the points the orders of this run's card holders earned (one per currency unit
 * of the order's total, no expiry) and, for their refunds, the refund moves taking them back
 * (the lot emptied), linked to the orders as the sidecar's order processing links them.
 */
async function seedOrderMoves(c: Client, firstCard: number, uid: number): Promise<number> {
  if (!(await c.query(`select to_regclass('loyalty_point_move') as t`)).rows[0].t) {
    throw new Error('--order-moves needs the sidecar\'s ledger tables: run npm run migrate on this database first');
  }
  const cols = 'card_id, kind, points, remaining, pos_order_id, reference, reason, company_id, create_uid, create_date, write_uid, write_date';
  const earned = await c.query(`
    insert into loyalty_point_move (${cols})
    select lc.id, 'earn', floor(po.amount_total), case when exists (select 1 from scale_order r where r.refund and r.src_id = so.id) then 0 else floor(po.amount_total) end,
           po.id, po.name, 'seed:scale', lc.company_id, $2, po.date_order, $2, po.date_order
      from scale_order so join pos_order po on po.id = so.id
      join loyalty_card lc on lc.partner_id = so.partner_id and lc.id >= $1
     where not so.refund and floor(po.amount_total) > 0
     order by so.id`, [firstCard, uid]);
  const refunded = await c.query(`
    insert into loyalty_point_move (${cols})
    select e.card_id, 'refund', -e.points, 0, so.id, po.name, 'seed:scale', e.company_id, $1, po.date_order, $1, po.date_order
      from scale_order so join pos_order po on po.id = so.id
      join loyalty_point_move e on e.pos_order_id = so.src_id and e.kind = 'earn'
     where so.refund
     order by so.id`, [uid]);
  await resetSequence(c, 'loyalty_point_move');
  return (earned.rowCount ?? 0) + (refunded.rowCount ?? 0);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL must name the PostgreSQL database to fill');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await run(client, options);
  } finally {
    await client.end();
  }
}

main().catch((err) => {
  process.stderr.write(`seed:scale failed: ${(err as Error).message}\n`);
  process.exit(1);
});

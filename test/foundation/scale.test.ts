/**
 * `npm run seed:scale` on a fresh restore of the Odoo dump, at a small size: the rows it adds
 * are consistent (amounts from lines, refunds that negate the order they name, cards in a
 * loyalty program, sequences after the new ids), spread over two years, and reproducible.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { tsArgs } from '../helpers/process';
import { openDatabase, Database } from '../../src/db/connection';
import { freshDatabase, serverReachable, TestDatabase } from '../helpers/pg';
import { migrate } from '../../src/db/migrate';

const ROOT = path.resolve(__dirname, '../..');

function runScale(url: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const [command, ...rest] = tsArgs('seeds/scale.ts', ...args);
  const r = spawnSync(command, rest, { cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('foundation: seed:scale', function () {
  this.timeout(120_000);
  let tdb: TestDatabase;
  let db: Database;
  let before_: { partners: number; orders: number; lines: number; cards: number };
  let output: string;

  before(async function () {
    if (!(await serverReachable())) this.skip();
    tdb = await freshDatabase('odoo17');
    db = await openDatabase({ databaseUrl: tdb.url, dataDir: '' }, 2);
    before_ = await counts();
    const r = runScale(tdb.url, ['--partners', '300', '--orders', '2000', '--lines', '3', '--refunds', '0.05', '--end', '2026-11-21']);
    expect(r.status, r.stderr).to.equal(0);
    output = r.stdout;
  });
  after(async () => {
    await db?.close();
    await tdb?.drop();
  });

  async function counts() {
    const n = async (t: string) => Number((await db.knex(t).count({ n: '*' }))[0].n);
    return { partners: await n('res_partner'), orders: await n('pos_order'), lines: await n('pos_order_line'), cards: await n('loyalty_card') };
  }

  it('adds the requested partners, orders and lines, and prints how long each part took', async () => {
    const after = await counts();
    expect(after.partners - before_.partners).to.equal(300);
    expect(after.orders - before_.orders).to.equal(2000);
    expect(after.lines - before_.lines).to.equal(6000);
    expect(after.cards - before_.cards).to.be.within(120, 240); // --cards 0.6 of 300
    for (const part of ['res_partner', 'pos_order', 'pos_order_line', 'loyalty_card']) expect(output).to.match(new RegExp(`^${part}\\s+\\d+\\.\\d s`, 'm'));
    expect(output).to.match(/^done in \d+\.\d s/m);
  });

  it('writes order amounts that are the sums of their lines, in the states Odoo uses', async () => {
    const bad = await db.knex.raw(`
      select o.id from pos_order o join pos_order_line l on l.order_id = o.id where o.id > 28
       group by o.id having abs(sum(l.price_subtotal_incl) - max(o.amount_total)) > 0.001
           or abs(sum(l.price_subtotal_incl - l.price_subtotal) - max(o.amount_tax)) > 0.001
           or max(o.amount_paid) <> max(o.amount_total)`);
    expect(bad.rows).to.deep.equal([]);
    const states = (await db.knex('pos_order').where('id', '>', 28).distinct('state').pluck('state')).sort();
    expect(states).to.deep.equal(['done', 'invoiced', 'paid']);
    const span = (await db.knex.raw(`select min(date_order)::date as a, max(date_order)::date as b from pos_order where id > 28`)).rows[0];
    expect(span.a).to.match(/^2024-11-2/);
    expect(span.b).to.equal('2026-11-21');
  });

  it('makes refunds that negate, line by line, the order they name', async () => {
    const refunds = await db.knex.raw(`
      select r.qty as rq, l.qty as lq, r.product_id as rp, l.product_id as lp, ro.partner_id as rpart, lo.partner_id as lpart
        from pos_order_line r join pos_order_line l on l.id = r.refunded_orderline_id
        join pos_order ro on ro.id = r.order_id join pos_order lo on lo.id = l.order_id
       where r.id > 54`);
    expect(refunds.rows.length).to.be.greaterThan(30);
    for (const x of refunds.rows) {
      expect(x.rq).to.equal(-x.lq);
      expect(x.rp).to.equal(x.lp);
      expect(x.rpart).to.equal(x.lpart);
    }
    const negative = Number((await db.knex('pos_order').where('amount_total', '<', 0).where('id', '>', 28).count({ n: '*' }))[0].n);
    expect(negative * 3).to.equal(refunds.rows.length);
  });

  it('gives cards in a loyalty program to the new partners, with unique codes, and continues sequences', async () => {
    const cards = await db.knex('loyalty_card as c').join('loyalty_program as p', 'p.id', 'c.program_id').where('c.id', '>', 77).select('p.program_type', 'c.partner_id', 'c.points');
    expect(new Set(cards.map((c) => c.program_type))).to.deep.equal(new Set(['loyalty']));
    expect(cards.every((c) => c.partner_id > 80 && c.points >= 0)).to.equal(true);
    const max = (await db.knex('res_partner').max({ m: 'id' }))[0].m as number;
    const [{ id }] = await db.knex('res_partner').insert({ name: 'After scale', type: 'contact' }).returning('id');
    expect(id).to.equal(max + 1);
  });

  it('refuses bad arguments with a clear message and writes nothing', async () => {
    const before = await counts();
    const r = runScale(tdb.url, ['--partners', 'many']);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/--partners must be an integer/);
    expect(await counts()).to.deep.equal(before);
  });
});

describe('foundation: seed:scale --rewards --order-moves (the report views\' data)', function () {
  this.timeout(180_000);
  let tdb: TestDatabase;
  let db: Database;

  before(async function () {
    if (!(await serverReachable())) this.skip();
    tdb = await freshDatabase('odoo17');
    db = await openDatabase({ databaseUrl: tdb.url, dataDir: '' }, 2);
    await migrate(db.knex);
    const r = runScale(tdb.url, ['--partners', '200', '--orders', '1000', '--lines', '2', '--refunds', '0.1', '--rewards', '0.4', '--order-moves', '--end', '2026-11-21']);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^pos_order_line \(rewards\)\s+\d+\.\d s\s+\d+ rows/m);
  });
  after(async () => {
    await db?.close();
    await tdb?.drop();
  });

  it('gives a share of the orders a reward line of a real discount reward: 10% of the order, in its total; a refund negates it', async () => {
    const { rows } = await db.knex.raw(`
      select l.order_id, l.price_subtotal_incl::float8 as reward, r.reward_type, r.discount_line_product_id = l.product_id as product_ok,
             (select sum(x.price_subtotal_incl)::float8 from pos_order_line x where x.order_id = l.order_id and x.reward_id is null) as goods,
             o.amount_total::float8 as total, l.refunded_orderline_id,
             (select price_subtotal_incl::float8 from pos_order_line s where s.id = l.refunded_orderline_id) as original
        from pos_order_line l join loyalty_reward r on r.id = l.reward_id join pos_order o on o.id = l.order_id
       where l.order_id > 28 and l.is_reward_line`);
    expect(rows.length).to.be.within(300, 500); // --rewards 0.4 of 1000
    for (const x of rows) {
      expect([x.reward_type, x.product_ok]).to.deep.equal(['discount', true]);
      expect(x.reward).to.be.closeTo(-x.goods / 10, 0.0051); // rounded to the cent
      expect(x.total).to.be.closeTo(x.goods + x.reward, 0.005);
      if (x.refunded_orderline_id) expect(x.original).to.equal(-x.reward);
    }
    expect(rows.filter((x: { refunded_orderline_id: number | null }) => x.refunded_orderline_id).length).to.be.greaterThan(5);
  });

  it('writes the card holders\' order points linked to the orders, refunds taking them back; points = sum(moves)', async () => {
    const { rows } = await db.knex.raw(`
      select m.kind, m.points::float8 as points, floor(o.amount_total)::float8 as floor_total, o.partner_id = c.partner_id as same_partner
        from loyalty_point_move m join pos_order o on o.id = m.pos_order_id join loyalty_card c on c.id = m.card_id
       where o.id > 28`);
    expect(rows.filter((x: { kind: string }) => x.kind === 'earn').length).to.be.greaterThan(100);
    for (const x of rows) {
      expect(x.same_partner).to.equal(true);
      expect(x.points).to.equal(x.kind === 'earn' ? x.floor_total : -Math.abs(x.points));
    }
    expect(rows.filter((x: { kind: string }) => x.kind === 'refund').length).to.be.greaterThan(0);
    const off = await db.knex.raw(`select c.id from loyalty_card c left join loyalty_point_move m on m.card_id = c.id
                                    group by c.id having abs(coalesce(max(c.points), 0) - coalesce(sum(m.points), 0)) > 1e-6`);
    expect(off.rows).to.deep.equal([]);
  });
});

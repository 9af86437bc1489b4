import { expect } from 'chai';
import { knex } from 'knex';
import { freshDatabase } from '../helpers/pg';
import { standaloneTestDatabase, StandaloneTestDatabase } from '../helpers/standalone';
import { boot } from '../../src/server';
import { loadConfig } from '../../src/config';
import { runJob } from '../../src/jobs/scheduler';
import { executeKw } from '../../src/orm/call';
import { AppContext } from '../../src/context';
import { buildFixture, DAY } from './fixture';
import * as migration from '../../src/db/migrations/0220_report_views';

type Row = Record<string, unknown>;
const m2o = (v: unknown) => (Array.isArray(v) ? v[0] : v);

for (const engine of ['auto', 'pglite'] as const) {
  describe(`reports: standalone database with the demo seeds (${engine === 'auto' ? 'PostgreSQL' : 'embedded PGlite'})`, function () {
    this.timeout(120_000);
    let sa: StandaloneTestDatabase;
    let app: AppContext;
    before(async () => {
      sa = await standaloneTestDatabase({ engine });
      app = await boot(loadConfig({}), sa.db);
    });
    after(async () => sa?.drop());

    it('the migration made the views; the fixture\'s figures come out as on Odoo\'s database', async () => {
      const kinds = (await sa.db.knex.raw(`select relname, relkind from pg_class where relname in ('promotion_result', 'promotion_result_live', 'promotion_result_details', 'pos_order_first') order by relname`)).rows;
      expect(kinds.map((k: Row) => `${k.relname}:${k.relkind}`)).to.deep.equal(['pos_order_first:v', 'promotion_result:m', 'promotion_result_details:v', 'promotion_result_live:v']);
      const fx = await buildFixture(app);
      // Until the job runs, promotion_result holds what was there when it last ran: none of these.
      expect(await executeKw(app, 2, 'promotion.result', 'search_count', [[['date', '=', DAY]]], {})).to.equal(0);
      expect(await runJob(app, 'report-refresh')).to.deep.include({ ran: true });
      const groups = (await executeKw(app, 2, 'promotion.result', 'read_group',
        [[['date', '=', DAY], ['company_id', '=', 1]], ['order_count', 'customer_count', 'revenue', 'discount_amount', 'points_issued', 'points_redeemed'], ['program_id']], { lazy: false })) as Row[];
      const flat = groups.map((g) => [m2o(g.program_id), g.order_count, g.customer_count, Number(g.revenue), Number(g.discount_amount), Number(g.points_issued), Number(g.points_redeemed)]);
      expect(flat).to.deep.include.members([[15, 2, 3, 2148.8, 31.05, 2149, 400], [8, 1, 1, 1995.85, 50, 0, 0]]);
      const details = (await executeKw(app, 2, 'promotion.result.details', 'search_read', [[['date', '=', DAY]]], { fields: ['line_id', 'points_won'] })) as Row[];
      expect(details).to.have.length(6);
      expect(details.reduce((s, d) => s + Number(d.points_won), 0)).to.equal(145 + 1996 + 80.5 - 72.5);
      const first = (await executeKw(app, 2, 'pos.order.first', 'read', [[66]], { fields: ['order_id', 'referrer_id'] })) as Row[];
      expect([m2o(first[0].order_id), m2o(first[0].referrer_id)]).to.deep.equal([fx.orders.C, 72]);
    });

    it('the migration run again replaces the views, promotion_result computed at once', async () => {
      const db = sa.db.knex;
      const snapshot = async () => (await db.raw(`select id, program_id, date::text, order_count, revenue::float8 from promotion_result order by id`)).rows;
      const before = await snapshot();
      await db.raw(`drop view pos_order_first`);
      await migration.up(db);
      expect(await snapshot()).to.deep.equal(before);
      expect((await db.raw(`select count(*)::int as n from pos_order_first`)).rows[0].n).to.be.greaterThan(0);
    });
  });
}

describe('reports: a database without the tables the views read', () => {
  it('the migration skips the views and fails nothing (Odoo without pos_loyalty: no reward_id on POS lines)', async () => {
    const fresh = await freshDatabase('empty');
    const db = knex({ client: 'pg', connection: fresh.url, pool: { min: 0, max: 1 } });
    try {
      await db.raw(`create table pos_order (id serial primary key, referral_code_used varchar)`);
      await db.raw(`create table pos_order_line (id serial primary key, order_id int, refunded_orderline_id int)`);
      await migration.up(db);
      expect((await db.raw(`select count(*)::int as n from pg_class where relname like 'promotion_result%' or relname = 'pos_order_first'`)).rows[0].n).to.equal(0);
    } finally {
      await db.destroy();
      await fresh.drop();
    }
  });
});

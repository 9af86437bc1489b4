/**
 * A full membership run (`npm run job -- membership`, the real CLI on a copy of the dump)
 * reports its stages in the log while it runs, under the run's id, before its `done` line.
 */
import { expect } from 'chai';
import { knex } from 'knex';
import { migrate } from '../../src/db/migrate';
import { freshDatabase, serverReachable } from '../helpers/pg';
import { runScript } from '../helpers/process';

describe('ops: progress lines of the membership job', function () {
  this.timeout(120_000);

  it('logs each stage of a full run under the run id, then done', async function () {
    if (!(await serverReachable())) this.skip();
    const database = await freshDatabase('odoo17');
    const db = knex({ client: 'pg', connection: database.url, pool: { min: 0, max: 1 } });
    try {
      await migrate(db);
      await db('product_template').whereIn('id', db('product_product').where({ id: 64 }).select('product_tmpl_id'))
        .update({ membership_rank: 1, membership_min_amount: 1, membership_window_days: 3650, membership_date_from: null, membership_date_to: null });
      const run = await runScript('src/cli/job.ts', ['membership'], { DATABASE_URL: database.url, LOG_LEVEL: 'info' });
      expect(run.code, run.stderr).to.equal(0);
      const lines = run.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      const done = lines.findIndex((l) => l.msg === 'job membership done');
      expect(done).to.be.greaterThan(0);
      const stages = lines.slice(0, done).filter((l) => l.msg === 'job membership progress');
      expect(stages.map((l) => l.stage)).to.include.members([
        'membership: spend per partner computed', 'membership: tiers decided', 'membership: tier lines written', 'membership: partner columns written',
      ]);
      expect(new Set(stages.map((l) => l.req_id))).to.deep.equal(new Set([lines[done].req_id]));
      const written = stages.filter((l) => l.stage === 'membership: tier lines written');
      expect(written.reduce((n, l) => n + Number(l.opened), 0)).to.be.greaterThan(0);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});

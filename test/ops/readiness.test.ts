/**
 * /readyz (what the balancer asks) against /healthz (liveness), and the new settings: a
 * migration of this version not applied yet is not ready; draining is not ready while the
 * process is still alive and serving; bad JOB_SCHEDULES stop start-up with one line.
 */
import { expect } from 'chai';
import { loadConfig, ConfigError } from '../../src/config';
import { migrate } from '../../src/db/migrate';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';

describe('ops: readiness and liveness', () => {
  let sidecar: TestSidecar;
  before(async () => {
    sidecar = await startTestSidecar('odoo17');
  });
  after(async () => sidecar?.close());

  const get = async (path: string) => {
    const res = await fetch(sidecar.url + path);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('is not ready while a migration of this version is missing, and ready once it is applied', async () => {
    const db = sidecar.ctx.db.knex;
    await db('sidecar_knex_migrations').where({ name: '0201_job_ticks' }).delete();
    const pending = await get('/readyz');
    expect(pending).to.deep.equal({ status: 503, body: { status: 'migrations_pending', pending: ['0201_job_ticks'], replica: sidecar.ctx.lifecycle.replica } });
    expect((await get('/healthz')).status).to.equal(200);
    expect(await migrate(db)).to.deep.equal(['0201_job_ticks']);
    expect(await get('/readyz')).to.deep.equal({ status: 200, body: { status: 'ready', replica: sidecar.ctx.lifecycle.replica } });
  });

  it('draining: /readyz answers 503 while /healthz and every other route still answer, with Connection: close', async () => {
    sidecar.ctx.lifecycle.startDraining();
    expect((await get('/readyz')).body.status).to.equal('draining');
    const res = await fetch(sidecar.url + '/healthz');
    expect(res.status).to.equal(200);
    expect(res.headers.get('connection')).to.equal('close');
  });

  it('refuses a JOB_SCHEDULES that is not an object of valid cron expressions', () => {
    expect(loadConfig({ JOB_SCHEDULES: '{"points-sweep": "*/2 * * * * *"}' }).jobSchedules).to.deep.equal({ 'points-sweep': '*/2 * * * * *' });
    expect(() => loadConfig({ JOB_SCHEDULES: '[1]' })).to.throw(ConfigError, /JOB_SCHEDULES/);
    expect(() => loadConfig({ JOB_SCHEDULES: '{"points-sweep": "every day"}' })).to.throw(ConfigError, /invalid cron expression for points-sweep/);
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).to.throw(ConfigError, /REDIS_URL/);
    expect(loadConfig({}).shutdownGraceMs).to.equal(25000);
  });
});

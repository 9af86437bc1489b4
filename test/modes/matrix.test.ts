/**
 * The mode matrix: the real `npm start` process on each database mode, each on a fresh database
 * of its own, runs the whole mission (test/modes/mission.ts) and every scheduled job by hand
 * (`npm run job -- <name>`, a child process), and must still be running at the end.
 *
 * - embedded:   no DATABASE_URL, a new temporary DATA_DIR (schema and demo data on first start);
 * - standalone: an empty PostgreSQL database given the schema by `npm run migrate` and the demo
 *               data by `npm run seed`;
 * - attached:   a copy of the recorded Odoo 17 database.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { allJobs } from '../../src/jobs/registry';
import '../../src/jobs/index';
import { freshDatabase, serverReachable, TestDatabase } from '../helpers/pg';
import { freePort, runScript, SidecarProcess, spawnSidecar } from '../helpers/process';
import { basicAuth } from '../helpers/ledger';
import { itRunsTheMission, MissionTarget } from './mission';

const HOOK_SECRET = 'mode-matrix-hook-secret';

interface Running {
  server: SidecarProcess;
  target: MissionTarget;
}

async function start(env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const server = await spawnSidecar({ JOBS: 'off', LOG_LEVEL: 'info', HOOK_SECRET, ...env }, port);
  const url = `http://127.0.0.1:${port}`;
  const health = (await (await fetch(url + '/healthz')).json()) as { db: string };
  const alive = () => server.child.exitCode === null && server.child.signalCode === null;
  return { server, target: { url, db: health.db, hookSecret: HOOK_SECRET, alive } };
}

/** `npm run job -- <name>` for every job: each runs and says so on its last line. */
async function runEveryJob(env: Record<string, string>): Promise<void> {
  for (const name of allJobs().map((j) => j.name)) {
    const run = await runScript('src/cli/job.ts', [name], env);
    expect(run.code, `${name}: ${run.stderr}`).to.equal(0);
    expect(JSON.parse(run.stdout.trim().split('\n').pop()!), name).to.include({ ran: true });
  }
}

describe('modes: the whole mission on every database mode (the real process)', function () {
  this.timeout(600_000);

  describe('embedded (PGlite in a new DATA_DIR)', () => {
    let dataDir: string;
    let running: Running | undefined;
    const env = () => ({ DATA_DIR: dataDir });
    before(async () => {
      dataDir = mkdtempSync(path.join(tmpdir(), 'sidecar-matrix-'));
      running = await start(env());
    });
    after(async () => {
      await running?.server.stop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(dataDir + '.lock', { force: true });
    });

    it('says it is embedded, on PGlite', async () => {
      const health = await (await fetch(running!.target.url + '/healthz')).json();
      expect(health).to.deep.equal({ status: 'ok', db: 'sidecar', mode: 'embedded', engine: 'pglite' });
      expect(running!.server.stderr()).to.match(/"mode":"embedded".*"msg":"sidecar listening on 0\.0\.0\.0:\d+"/);
    });

    itRunsTheMission(() => running!.target, 'embedded');

    it('refuses `npm run job` while the server holds the database, with what to do instead; the server keeps serving', async () => {
      const run = await runScript('src/cli/job.ts', ['points-sweep'], env());
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain(`the embedded database in ${dataDir} is in use by another sidecar process (pid ${running!.server.child.pid})`);
      expect(run.stderr).to.contain('PGlite is one process: stop that process first');
      expect(running!.target.alive()).to.equal(true);
      expect((await fetch(running!.target.url + '/healthz')).status).to.equal(200);
    });

    it('runs every job by hand once the server is stopped, and starts again on the same data', async () => {
      const { url } = running!.target;
      const balance = async (u: string) => ((await (await fetch(u + '/api/v1/cards/17/balance', { headers: { authorization: basicAuth('admin', 'admin') } })).json()) as { points: number }).points;
      const before = await balance(url);
      await running!.server.stop();
      running = undefined;
      await runEveryJob(env());
      running = await start(env());
      expect(running.server.stderr()).to.not.contain('demo seeds loaded');
      expect(await balance(running.target.url)).to.equal(before);
    });
  });

  for (const mode of ['standalone', 'attached'] as const) {
    describe(`${mode} (${mode === 'standalone' ? 'an empty database, npm run migrate and npm run seed' : 'a copy of the recorded Odoo 17 database'})`, () => {
      let database: TestDatabase;
      let running: Running | undefined;
      const env = () => ({ DATABASE_URL: database.url });
      before(async function () {
        if (!(await serverReachable())) this.skip();
        database = await freshDatabase(mode === 'standalone' ? 'empty' : 'odoo17');
        if (mode === 'standalone') {
          for (const script of ['src/cli/migrate.ts', 'src/cli/seed.ts']) {
            const run = await runScript(script, [], env());
            expect(run.code, `${script}: ${run.stderr}`).to.equal(0);
          }
        }
        running = await start(env());
      });
      after(async () => {
        await running?.server.stop();
        await database?.drop();
      });

      it(`says it is ${mode}, on PostgreSQL`, async () => {
        const health = await (await fetch(running!.target.url + '/healthz')).json();
        expect(health).to.deep.equal({ status: 'ok', db: database.name, mode, engine: 'postgres' });
      });

      itRunsTheMission(() => running!.target, mode);

      it('runs every job by hand (`npm run job -- <name>`) beside the running server, which keeps serving', async () => {
        await runEveryJob(env());
        expect(running!.target.alive()).to.equal(true);
        expect((await fetch(running!.target.url + '/healthz')).status).to.equal(200);
      });
    });
  }
});

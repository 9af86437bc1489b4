/**
 * Three replicas (the real `npm start`) on one database behind HAProxy with the repository's
 * deploy/haproxy.cfg: requests spread over them, a web session opened on one is good on every
 * other, each scheduled tick runs once across them, /readyz drives the balancer, a replica
 * killed mid-traffic loses no acknowledged write and one stopped with SIGTERM drains cleanly.
 */
import { expect } from 'chai';
import { knex, Knex } from 'knex';
import { Cluster, startCluster } from '../helpers/cluster';
import { haproxyInstalled } from '../helpers/haproxy';
import { basicAuth, cheapPassword, expectLedgerBalanced } from '../helpers/ledger';
import { freshDatabase, serverReachable, TestDatabase } from '../helpers/pg';
import { jsonCall } from '../rpc/helpers';

const SECRET = 'replicas-test-secret-0123456789';

describe('ops: three replicas behind HAProxy', function () {
  this.timeout(240_000);
  let database: TestDatabase;
  let db: Knex;
  let cluster: Cluster;

  before(async function () {
    if (!haproxyInstalled()) {
      process.stderr.write('SKIP ops replicas: haproxy is not installed (apt-get install haproxy; .ci/run does)\n');
      this.skip();
    }
    if (!(await serverReachable())) this.skip();
    database = await freshDatabase('odoo17');
    db = knex({ client: 'pg', connection: database.url, pool: { min: 0, max: 2 } });
    cluster = await startCluster({
      DATABASE_URL: database.url,
      HOOK_SECRET: SECRET,
      LOG_LEVEL: 'info',
      // Every 2 seconds: enough ticks in a few seconds to see each run once.
      JOB_SCHEDULES: JSON.stringify({ 'points-sweep': '*/2 * * * * *' }),
      SHUTDOWN_DELAY_MS: '1500',
      SHUTDOWN_GRACE_MS: '10000',
    });
    await cheapPassword(db, 'admin', 'admin-replicas');
    await cheapPassword(db, 'demo', 'demo-replicas');
  });

  after(async () => {
    await cluster?.stop();
    await db?.destroy();
    await database?.drop();
  });

  it('spreads requests over every replica, and a session opened on one replica is good on the others', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 9; i++) {
      const ready = (await (await fetch(cluster.balancer.url + '/readyz')).json()) as { status: string; replica: string };
      expect(ready.status).to.equal('ready');
      seen.add(ready.replica);
    }
    expect(seen.size).to.equal(3);

    const direct = cluster.replicas.map((r) => `http://127.0.0.1:${r.port}`);
    const login = await jsonCall(direct[0], '/web/session/authenticate', { db: database.name, login: 'demo', password: 'demo-replicas' });
    expect(login.json).to.have.nested.property('result.uid', 6);
    const cookie = login.setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('session_id='))!;
    for (const url of [direct[1], direct[2], cluster.balancer.url, cluster.balancer.url, cluster.balancer.url]) {
      const cards = await jsonCall(url, '/web/dataset/call_kw', { model: 'loyalty.card', method: 'search_read', args: [[['partner_id', '=', 64]]], kwargs: { fields: ['code'] } }, { cookie });
      expect(cards.json, url).to.have.nested.property('result[0].code', '0445-8efc-46cd');
    }
    // Logged out on one replica: gone on every one.
    await jsonCall(direct[2], '/web/session/destroy', {}, { cookie });
    const after = await jsonCall(direct[1], '/web/session/get_session_info', {}, { cookie });
    expect(after.json).to.have.nested.property('error.code', 100);
  });

  it('runs each scheduled tick of a job once across the three replicas (or skips it while the last run goes on), never twice', async () => {
    const since = new Date();
    await new Promise((r) => setTimeout(r, 7000));
    // The last tick's run may still be going: wait until every claimed tick has its one run.
    let ticks = 0;
    let runs = 0;
    for (let i = 0; i < 40; i++) {
      ticks = Number((await db.raw(`select count(*) as n from sidecar_job_tick where key like 'points-sweep:%' and claimed_at >= ?`, [since.toISOString().slice(0, 23).replace('T', ' ')])).rows[0].n);
      // A tick whose run found the previous one still going is skipped (the job's lock): still not run twice.
      const lines = cluster.logLines().filter((l) => /^job points-sweep (done|skipped)/.test(String(l.msg)) && String(l.time) >= since.toISOString());
      runs = lines.length;
      expect(runs, 'runs never outnumber claimed ticks').to.be.at.most(ticks + 1);
      if (runs === ticks && ticks >= 3) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(ticks).to.be.at.least(3);
    expect(runs).to.equal(ticks);
    const done = cluster.logLines().filter((l) => l.msg === 'job points-sweep done' && String(l.time) >= since.toISOString());
    expect(done.length).to.be.at.least(3);
  });

  it('a replica killed with SIGKILL loses no acknowledged write; one stopped with SIGTERM drains, answers all it took and exits 0', async () => {
    const users = [basicAuth('admin', 'admin-replicas'), basicAuth('demo', 'demo-replicas')];
    const cards = [17, 39, 70, 21];
    type Answer = { key: string; user: number; card: number; status: number; body: { move_ids?: number[]; points?: number }; at: number };
    const answers: Answer[] = [];
    let stopTraffic = false;
    let n = 0;
    const worker = async () => {
      while (!stopTraffic) {
        const i = n++;
        const key = `replicas-${i}`;
        const card = cards[i % cards.length];
        const user = i % 2;
        try {
          const res = await fetch(cluster.balancer.url + '/api/v1/points/earn', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: users[user], 'idempotency-key': key },
            body: JSON.stringify({ card_id: card, points: 1 + (i % 5), reason: key }),
          });
          answers.push({ key, user, card, status: res.status, body: (await res.json()) as Answer['body'], at: Date.now() });
        } catch {
          answers.push({ key, user, card, status: 0, body: {}, at: Date.now() });
        }
      }
    };
    const traffic = Promise.all(Array.from({ length: 6 }, worker));
    await new Promise((r) => setTimeout(r, 1500));
    const killed = await cluster.signal(1, 'SIGKILL');
    expect(killed.signal).to.equal('SIGKILL');
    await new Promise((r) => setTimeout(r, 1500));
    await cluster.restart(1);
    const termAt = Date.now();
    const [stopped] = await Promise.all([
      cluster.signal(2, 'SIGTERM'),
      // /readyz of the draining replica says so while it still listens.
      (async () => {
        await new Promise((r) => setTimeout(r, 300));
        const ready = await fetch(`http://127.0.0.1:${cluster.replicas[2].port}/readyz`);
        expect([ready.status, ((await ready.json()) as { status: string }).status]).to.deep.equal([503, 'draining']);
      })(),
    ]);
    expect(stopped.code, 'exit code after SIGTERM').to.equal(0);
    await cluster.restart(2);
    await new Promise((r) => setTimeout(r, 1000));
    stopTraffic = true;
    await traffic;

    const acked = answers.filter((a) => a.status === 201);
    const failed = answers.filter((a) => a.status !== 201);
    expect(acked.length).to.be.greaterThan(50);
    // Only requests the killed replica had in hand may fail (502 from the balancer), never after the SIGTERM.
    expect(failed.every((a) => a.status === 502 || a.status === 0), JSON.stringify(failed.slice(0, 3))).to.equal(true);
    expect(failed.filter((a) => a.at >= termAt), 'errors during the SIGTERM drain').to.deep.equal([]);
    expect(failed.length).to.be.at.most(6);
    // Every acknowledged write is there, once, as answered.
    const moves = (await db.raw(
      `select reason, count(*)::int as n, min(card_id) as card_id, sum(points)::float8 as points, array_agg(id order by id) as ids
         from loyalty_point_move where reason like 'replicas-%' group by reason`,
    )).rows as Array<{ reason: string; n: number; card_id: number; points: number; ids: number[] }>;
    const byReason = new Map(moves.map((m) => [m.reason, m]));
    for (const a of acked) {
      const m = byReason.get(a.key);
      expect(m, a.key).to.not.equal(undefined);
      expect([m!.n, m!.card_id, m!.ids]).to.deep.equal([1, a.card, a.body.move_ids]);
    }
    expect(moves.every((m) => m.n === 1), 'no write applied twice').to.equal(true);
    await expectLedgerBalanced(db);
    // The balancer sends to the restarted replicas again.
    const seen = new Set<string>();
    for (let i = 0; i < 9; i++) seen.add(((await (await fetch(cluster.balancer.url + '/readyz')).json()) as { replica: string }).replica);
    expect(seen.size).to.equal(3);
  });
});

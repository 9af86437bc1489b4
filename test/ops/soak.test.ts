/**
 * The soak's short version (bench/lib/soak.ts, `npm run bench -- soak` for minutes): 3 replicas
 * behind HAProxy under mixed RPC, REST and hook traffic for tens of seconds, one SIGKILLed and
 * one SIGTERMed midway and started again. No acknowledged write lost, none applied twice, the
 * ledger balanced, every event delivered; errors only in the kill window, few, and over within 5 s.
 */
import { expect } from 'chai';
import { formatReport, runSoak } from '../../bench/lib/soak';
import { haproxyInstalled } from '../helpers/haproxy';
import { redisInstalled } from '../helpers/redis';
import { serverReachable } from '../helpers/pg';

describe('ops: the soak, short (3 replicas, SIGKILL and SIGTERM midway)', function () {
  this.timeout(300_000);

  before(async function () {
    if (!haproxyInstalled() || !redisInstalled() || !(await serverReachable())) {
      process.stderr.write('SKIP ops soak: needs haproxy, redis-server and PostgreSQL (.ci/run installs them)\n');
      this.skip();
    }
  });

  it('loses no acknowledged write, applies none twice, keeps the ledger balanced and delivers every event', async () => {
    const report = await runSoak({ seconds: Number(process.env.SOAK_SECONDS ?? 30), rate: Number(process.env.SOAK_RATE ?? 40) });
    if (process.env.SOAK_PRINT) process.stderr.write(formatReport(report) + '\n');
    const c = report.checks;
    // Every assertion carries the whole report: a failure in CI must say what happened.
    const all = formatReport(report);
    expect(c.missingAcknowledged, 'acknowledged writes missing\n' + all).to.deep.equal([]);
    expect(c.appliedTwice, 'writes applied twice\n' + all).to.deep.equal([]);
    expect(c.ledgerDiscrepancies, all).to.equal(0);
    expect(c.outboxPending, all).to.equal(0);
    expect(c.eventsMissingFromRedis, all).to.equal(0);
    expect(c.events, all).to.be.greaterThan(100);
    expect(report.acknowledged, all).to.be.greaterThan(200);
    expect(report.sigtermExit.code, 'exit code after SIGTERM\n' + all).to.equal(0);
    const [before, , after] = report.phases;
    expect(before.errors, all).to.equal(0);
    expect(after.errors, all).to.equal(0);
    // At this small rate one cut request is already 0.3%: the 1% goal is the bench's; here, a handful at most.
    expect(report.killWindow.errors, all).to.be.at.most(Math.max(3, Math.ceil(report.killWindow.requests * 0.01)));
    if (report.killWindow.lastErrorAfterKillMs !== null) expect(report.killWindow.lastErrorAfterKillMs, all).to.be.at.most(5000);
  });
});

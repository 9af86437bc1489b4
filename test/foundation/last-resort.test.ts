/**
 * The last resort (src/last-resort.ts), in a real process: a rejection nobody handles is logged
 * and the process keeps running; an exception thrown outside any promise is logged and ends the
 * process through the graceful stop, with exit code 1.
 */
import { expect } from 'chai';
import { runScript } from '../helpers/process';

describe('foundation: the last resort for errors that escaped every path', function () {
  this.timeout(60_000);
  it('logs an unhandled rejection and keeps running; logs an uncaught exception and stops gracefully with 1', async () => {
    const run = await runScript('test/foundation/fixtures/last-resort-child.ts', [], {});
    expect(run.stdout).to.equal('still running after the rejection\nstop: uncaught exception 1\n');
    expect(run.code).to.equal(1);
    const lines = run.stderr.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).to.include({ level: 'error', msg: 'unhandled promise rejection: logged, still serving', error: 'a rejection nobody handles' });
    expect(lines[1]).to.include({ level: 'error', msg: 'uncaught exception: stopping gracefully', error: 'thrown from a timer' });
    expect(lines[1].stack).to.contain('thrown from a timer');
  });
});

/**
 * `npm run job -- <name> [--at <ISO instant>]`: runs one scheduled job now (or as of that
 * instant: the expiry a month on, a catch-up), against DATABASE_URL (or the embedded db).
 */
import { loadConfig } from '../config';
import { boot } from '../server';
import { runJob } from '../jobs/scheduler';
import { allJobs } from '../jobs/registry';
import { setLogLevel } from '../log';

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name) {
    process.stderr.write(`usage: npm run job -- <name>\njobs: ${allJobs().map((j) => j.name).join(', ') || '(none)'}\n`);
    process.exit(2);
  }
  const atIndex = process.argv.indexOf('--at');
  const at = atIndex > 0 ? new Date(process.argv[atIndex + 1] ?? '') : new Date();
  if (Number.isNaN(at.getTime())) {
    process.stderr.write('--at must be an ISO instant, e.g. 2026-07-31T00:05:00Z\n');
    process.exit(2);
  }
  const config = loadConfig();
  setLogLevel(config.logLevel);
  const app = await boot(config);
  try {
    const outcome = await runJob(app, name, { now: at, trigger: 'cli' });
    process.stdout.write(JSON.stringify(outcome) + '\n');
    if (outcome.state === 'failed') {
      process.stderr.write(`job failed: ${outcome.reason}\n`);
      process.exitCode = 1;
    }
  } finally {
    await app.db.close();
  }
}

main().catch((err) => {
  process.stderr.write(`job failed: ${(err as Error).message}\n`);
  process.exit(1);
});

/** `npm run job -- <name>`: runs one scheduled job now, against DATABASE_URL (or the embedded db). */
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
  const config = loadConfig();
  setLogLevel(config.logLevel);
  const app = await boot(config);
  try {
    const outcome = await runJob(app, name, { trigger: 'cli' });
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

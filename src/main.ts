import { loadConfig, ConfigError } from './config';
import { setLogLevel, log } from './log';
import { startSidecar } from './server';
import { startScheduler } from './jobs/scheduler';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(err.message + '\n');
      process.exit(2);
    }
    throw err;
  }
  setLogLevel(config.logLevel);
  const sidecar = await startSidecar(config);
  log.info(`sidecar listening on ${sidecar.url}`, {
    db: sidecar.ctx.dbName,
    mode: sidecar.ctx.mode,
    engine: sidecar.ctx.db.engine,
  });
  const stopJobs = config.jobsEnabled ? startScheduler(sidecar.ctx) : () => undefined;
  const stop = async (signal: string) => {
    log.info(`${signal}: shutting down`);
    stopJobs();
    await sidecar.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  log.error('start-up failed: ' + (err instanceof Error ? err.message : String(err)));
  process.exit(1);
});

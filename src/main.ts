import { loadConfig, ConfigError } from './config';
import { setLogLevel, log } from './log';
import { startSidecar } from './server';
import { startScheduler } from './jobs/scheduler';
import { installLastResort } from './last-resort';

/** Beyond the drain delay and grace period: closing the relay and the database. */
const CLOSE_MARGIN_MS = 5_000;

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
  log.info(`sidecar listening on ${sidecar.address}`, {
    url: sidecar.url,
    db: sidecar.ctx.dbName,
    mode: sidecar.ctx.mode,
    engine: sidecar.ctx.db.engine,
  });
  const stopJobs = config.jobsEnabled ? startScheduler(sidecar.ctx) : () => undefined;
  let stopping = false;
  const stop = (reason: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    log.info(`${reason}: shutting down`);
    setTimeout(() => process.exit(exitCode || 1), config.shutdownDelayMs + config.shutdownGraceMs + CLOSE_MARGIN_MS).unref();
    stopJobs();
    // Exit 0 once everything in flight finished; 1 when the grace period cut something.
    sidecar.shutdown().then(
      (finished) => process.exit(exitCode || (finished ? 0 : 1)),
      (err) => {
        log.error('shutdown failed', { error: (err as Error).message });
        process.exit(exitCode || 1);
      },
    );
  };
  installLastResort(stop);
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  log.error('start-up failed: ' + (err instanceof Error ? err.message : String(err)));
  process.exit(1);
});

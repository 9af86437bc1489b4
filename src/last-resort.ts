/**
 * The process's last resort, for errors that escaped every request, job and hook path (each of
 * those answers or logs its own errors: src/errors.ts sanitizeError). Reaching here is a bug.
 *
 * - A rejected promise nobody handled: logged, and the process keeps serving. The rejection
 *   left nothing half-done behind (the code that awaited it is gone), and Node's default, ending
 *   the process, would drop every request in flight for the sake of one.
 * - An exception thrown outside any promise (an event handler, a timer): logged, then the
 *   process stops as SIGTERM stops it (no new connections, the requests in flight finish, the
 *   database is closed) and exits with 1. After such an exception Node cannot vouch for the
 *   process's state (Node's own advice); a supervisor (systemd, a container's restart policy)
 *   starts it again.
 */
import { log } from './log';

export interface LastResort {
  onRejection(reason: unknown): void;
  onException(err: unknown): void;
}

const describe = (e: unknown) => ({ error: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined });

/** The two handlers; `stop(code)` ends the process gracefully. */
export function lastResort(stop: (reason: string, exitCode: number) => void): LastResort {
  return {
    onRejection(reason) {
      log.error('unhandled promise rejection: logged, still serving', describe(reason));
    },
    onException(err) {
      log.error('uncaught exception: stopping gracefully', describe(err));
      stop('uncaught exception', 1);
    },
  };
}

/** Installs them on the process (src/main.ts). */
export function installLastResort(stop: (reason: string, exitCode: number) => void): void {
  const handlers = lastResort(stop);
  process.on('unhandledRejection', handlers.onRejection);
  process.on('uncaughtException', handlers.onException);
}

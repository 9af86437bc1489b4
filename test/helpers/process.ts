/**
 * The sidecar as a real process: `tsx src/main.ts` (what `npm start` runs) with a given
 * environment, for the tests and the start-up benchmark.
 */
import { spawn, ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const VERSION_CALL = '<?xml version="1.0"?><methodCall><methodName>version</methodName><params></params></methodCall>';

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface SidecarProcess {
  child: ChildProcess;
  /** Milliseconds from spawn to the first successful common.version() answer. */
  ms: number;
  /** The XML of that answer. */
  xml: string;
  stderr: () => string;
  stop(): Promise<void>;
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    // Its own process group: tsx runs the program in a child node process.
    process.kill(-child.pid!, 'SIGTERM');
  });
}

/**
 * Spawns the sidecar with exactly `env` on top of PATH/HOME (no DATABASE_URL unless given),
 * and waits until it answers version() over XML-RPC on `port`.
 */
export async function spawnSidecar(env: Record<string, string>, port: number, timeoutMs = 60_000): Promise<SidecarProcess> {
  const full: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...env, PORT: String(port) };
  const started = Date.now();
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/main.ts'], { cwd: ROOT, env: full, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  while (Date.now() < started + timeoutMs) {
    if (child.exitCode !== null) throw new Error(`sidecar exited with ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/xmlrpc/2/common`, { method: 'POST', body: VERSION_CALL, headers: { 'content-type': 'text/xml' } });
      if (res.status === 200) {
        const xml = await res.text();
        return { child, ms: Date.now() - started, xml, stderr: () => stderr, stop: () => stopProcess(child) };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await stopProcess(child);
  throw new Error(`no answer within ${timeoutMs} ms: ${stderr}`);
}

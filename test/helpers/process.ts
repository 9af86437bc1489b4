/**
 * The sidecar as a real process: `node -r esbuild-register src/main.ts` (what `npm start` runs)
 * with a given environment, for the tests and the benchmarks; `tsArgs` is how any of the
 * project's TypeScript entry points is started.
 */
import { spawn, ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const VERSION_CALL = '<?xml version="1.0"?><methodCall><methodName>version</methodName><params></params></methodCall>';

/**
 * The command line that runs a TypeScript file of the project as `npm start` does: node with
 * esbuild-register, which compiles each file as it is loaded (tsx would keep every function's
 * name with a defineProperty per closure created, a cost on every call of the hot paths).
 */
export function tsArgs(script: string, ...args: string[]): string[] {
  return [process.execPath, '-r', require.resolve('esbuild-register'), path.resolve(ROOT, script), ...args];
}

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

export interface ServerProcess {
  child: ChildProcess;
  /** Milliseconds from spawn to the first answer `ready` accepted. */
  ms: number;
  stderr: () => string;
  stop(): Promise<void>;
}

export interface SidecarProcess extends ServerProcess {
  /** The XML of the first common.version() answer. */
  xml: string;
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    // Its own process group: whatever it started goes with it.
    process.kill(-child.pid!, 'SIGTERM');
  });
}

/**
 * Spawns one of the project's TypeScript servers with exactly `env` (in its own process
 * group) and polls `ready` until it says the server answers; stops it and throws after
 * `timeoutMs` or when it exits.
 */
export async function spawnServer(script: string, env: NodeJS.ProcessEnv, ready: () => Promise<boolean>, timeoutMs = 60_000): Promise<ServerProcess> {
  const started = Date.now();
  const [command, ...args] = tsArgs(script);
  const child = spawn(command, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  while (Date.now() < started + timeoutMs) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}: ${stderr}`);
    try {
      if (await ready()) return { child, ms: Date.now() - started, stderr: () => stderr, stop: () => stopProcess(child) };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await stopProcess(child);
  throw new Error(`${script}: no answer within ${timeoutMs} ms: ${stderr}`);
}

/**
 * Spawns the sidecar with exactly `env` on top of PATH/HOME (no DATABASE_URL unless given),
 * and waits until it answers version() over XML-RPC on `port`.
 */
export async function spawnSidecar(env: Record<string, string>, port: number, timeoutMs = 60_000): Promise<SidecarProcess> {
  const full: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...env, PORT: String(port) };
  let xml = '';
  const server = await spawnServer('src/main.ts', full, async () => {
    const res = await fetch(`http://127.0.0.1:${port}/xmlrpc/2/common`, { method: 'POST', body: VERSION_CALL, headers: { 'content-type': 'text/xml' } });
    if (res.status !== 200) return false;
    xml = await res.text();
    return true;
  }, timeoutMs);
  return { ...server, xml };
}

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs one of the project's TypeScript scripts to its end, as `npm run <script>` runs it
 * (`npm run job -- <name>` is `runScript('src/cli/job.ts', [name], env)`), with exactly `env`
 * on top of PATH/HOME.
 */
export function runScript(script: string, args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<ScriptRun> {
  const [command, ...rest] = tsArgs(script, ...args);
  return new Promise((resolve, reject) => {
    const child = spawn(command, rest, { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} ${args.join(' ')}: no end within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    // 'close': the process has ended and its output is all read.
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

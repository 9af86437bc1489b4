/**
 * HAProxy from Debian in front of sidecar replicas, with the repository's own example
 * configuration (deploy/haproxy.cfg) and the addresses it reads from the environment. Tests
 * install nothing: without haproxy on the PATH (.ci/run installs it) they skip with one line.
 */
import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from './process';

export const HAPROXY_CONFIG = path.resolve(__dirname, '../../deploy/haproxy.cfg');

/** Whether Debian's haproxy is installed. */
export function haproxyInstalled(): boolean {
  return spawnSync('haproxy', ['-v'], { stdio: 'ignore' }).status === 0;
}

export interface Balancer {
  url: string;
  port: number;
  child: ChildProcess;
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * Starts haproxy -f deploy/haproxy.cfg in the foreground with the three replica addresses
 * (host:port; give one address three times to balance over one replica), and waits until it
 * answers /readyz through one of them.
 */
export async function startBalancer(replicas: [string, string, string], timeoutMs = 20_000): Promise<Balancer> {
  const port = await freePort();
  const env = {
    PATH: process.env.PATH,
    LISTEN_ADDR: `127.0.0.1:${port}`,
    SIDECAR1_ADDR: replicas[0],
    SIDECAR2_ADDR: replicas[1],
    SIDECAR3_ADDR: replicas[2],
  };
  const child = spawn('haproxy', ['-db', '-f', HAPROXY_CONFIG], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(url + '/readyz')).status === 200) return { url, port, child, stderr: () => stderr, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`haproxy: no replica ready through it within ${timeoutMs} ms: ${stderr}`);
}

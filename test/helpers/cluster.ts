/**
 * Sidecar replicas as real processes (`npm start`) on one PostgreSQL database, behind HAProxy
 * with deploy/haproxy.cfg: what the replica tests and bench/soak run. Replicas can be killed
 * (SIGKILL), stopped (SIGTERM, a graceful drain) and started again on their port.
 */
import { ChildProcess } from 'node:child_process';
import { Balancer, startBalancer } from './haproxy';
import { freePort, spawnSidecar, SidecarProcess } from './process';

export interface Replica {
  port: number;
  process: SidecarProcess | null;
  /** The stderr (JSON log lines) of every process that ran on this port, oldest first. */
  logs: string[];
}

export interface Cluster {
  replicas: Replica[];
  balancer: Balancer;
  /** Sends a signal to replica i; resolves with its exit code once it has exited. */
  signal(i: number, signal: 'SIGKILL' | 'SIGTERM'): Promise<{ code: number | null; signal: string | null; ms: number }>;
  /** Starts replica i again on its port (after it exited). */
  restart(i: number): Promise<void>;
  /** Every log line of every replica, parsed. */
  logLines(): Array<Record<string, unknown> & { replica: number }>;
  stop(): Promise<void>;
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode, signal: child.signalCode });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

/** Starts three replicas with `env` (DATABASE_URL at least) and the balancer in front of them. */
export async function startCluster(env: Record<string, string>): Promise<Cluster> {
  const ports = [await freePort(), await freePort(), await freePort()];
  const replicas: Replica[] = ports.map((port) => ({ port, process: null, logs: [] }));
  const spawnOne = async (i: number) => {
    const p = await spawnSidecar(env, replicas[i].port, 120_000);
    replicas[i].process = p;
    replicas[i].logs.push('');
    const slot = replicas[i].logs.length - 1;
    // spawnSidecar keeps the whole stderr: read it as it grows.
    p.child.stderr!.on('data', () => (replicas[i].logs[slot] = p.stderr()));
    replicas[i].logs[slot] = p.stderr();
  };
  // Side by side: their migrations meet (one applies them, the others wait), as in a rollout.
  await Promise.all(replicas.map((_, i) => spawnOne(i)));
  const balancer = await startBalancer(ports.map((p) => `127.0.0.1:${p}`) as [string, string, string]);
  return {
    replicas,
    balancer,
    async signal(i, signal) {
      const p = replicas[i].process!;
      const started = Date.now();
      const done = exited(p.child);
      process.kill(p.child.pid!, signal);
      const result = await done;
      replicas[i].logs[replicas[i].logs.length - 1] = p.stderr();
      replicas[i].process = null;
      return { ...result, ms: Date.now() - started };
    },
    restart: (i) => spawnOne(i),
    logLines() {
      return replicas.flatMap((r, replica) =>
        r.logs.join('\n').split('\n').filter((l) => l.startsWith('{')).map((l) => ({ ...(JSON.parse(l) as Record<string, unknown>), replica })));
    },
    async stop() {
      await balancer.stop();
      await Promise.all(replicas.map((r) => r.process?.stop()));
    },
  };
}

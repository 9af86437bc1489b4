/**
 * Where a replica is in its life, for the balancer and for a graceful stop: draining (after
 * SIGTERM: /readyz answers 503, answers close their connections) and the work in flight that a
 * stop waits for (requests, counted by the server; job runs and relay batches, tracked here).
 */
import { hostname } from 'node:os';
import { Gauge } from 'prom-client';
import { registry } from './metrics/registry';

const drainingGauge = new Gauge({
  name: 'sidecar_draining',
  help: '1 while this replica drains after SIGTERM (not ready, finishing what is in flight)',
  registers: [registry],
});

export class Lifecycle {
  /** This process among the replicas: host and pid (job ticks record who ran them). */
  readonly replica = `${hostname()}:${process.pid}`;
  private isDraining = false;
  private readonly work = new Set<Promise<unknown>>();

  get draining(): boolean {
    return this.isDraining;
  }

  startDraining(): void {
    this.isDraining = true;
    drainingGauge.set(1);
  }

  /** Background work a graceful stop waits for (a job run). Returns the same promise. */
  track<T>(work: Promise<T>): Promise<T> {
    this.work.add(work);
    const forget = () => this.work.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** How much tracked work is still running. */
  get busy(): number {
    return this.work.size;
  }
}

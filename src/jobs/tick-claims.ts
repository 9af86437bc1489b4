/**
 * Once per tick across replicas. node-cron fires a job's tick on every replica; its
 * `distributed` option asks a run coordinator whether this one should run it, with a key made
 * of the job's name and the tick's scheduled instant. The coordinator here claims that key in
 * PostgreSQL (sidecar_job_tick, migration 0201): the first replica to insert it runs the tick,
 * every other one skips, however late it fires. The advisory lock of runJob still keeps runs of
 * one job from overlapping (`npm run job`, a slow tick meeting the next).
 */
import { Knex } from 'knex';
import type { RunCoordinator } from 'node-cron';
import { log } from '../log';

/** Claims older than this are removed (a tick is claimed within seconds of its instant). */
const KEEP_DAYS = 7;
const PRUNE_EVERY_MS = 3_600_000;

export function tickCoordinator(db: Knex, replica: string): RunCoordinator {
  let lastPrune = 0;
  return {
    async shouldRun(key) {
      if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
        lastPrune = Date.now();
        await db.raw(`delete from sidecar_job_tick where claimed_at < (now() at time zone 'utc') - make_interval(days => ?)`, [KEEP_DAYS]);
      }
      const claimed = await db.raw('insert into sidecar_job_tick (key, claimed_by) values (?, ?) on conflict do nothing', [key, replica]);
      if (claimed.rowCount !== 1) log.debug(`tick ${key} taken by another replica`);
      return claimed.rowCount === 1;
    },
  };
}

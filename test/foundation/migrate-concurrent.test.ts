/**
 * Replicas started together on a fresh database each run the migrations at start-up. knex's own
 * lock lives in a table the first run creates, so it cannot order the very first runs: two of
 * them both created it and one failed on pg_type's unique index (seen in CI with three replicas
 * behind HAProxy). Several processes' worth of connections run migrate() at once here.
 */
import { expect } from 'chai';
import { openDatabase, Database } from '../../src/db/connection';
import { migrate } from '../../src/db/migrate';
import { migrationConfig } from '../../src/db/migrations';
import { freshDatabase, TestDatabase } from '../helpers/pg';

describe('foundation: migrations started by several replicas at once', () => {
  let fresh: TestDatabase;
  const opened: Database[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((d) => d.close()));
    await fresh?.drop();
  });

  for (const replicas of [2, 5]) {
    it(`${replicas} replicas on an empty database: one applies every migration, the others find nothing left, none fails`, async () => {
      fresh = await freshDatabase('empty');
      for (let i = 0; i < replicas; i++) opened.push(await openDatabase({ databaseUrl: fresh.url, dataDir: '' }, 4));
      const applied = await Promise.all(opened.map((d) => migrate(d.knex)));
      const [, pending] = await opened[0].knex.migrate.list(migrationConfig);
      expect(pending).to.have.length(0);
      const all = (await opened[0].knex('sidecar_knex_migrations').select('name')).map((r) => r.name as string);
      // Every migration applied exactly once, by exactly one of them.
      expect(all).to.have.length(new Set(all).size);
      expect(applied.filter((a) => a.length > 0)).to.have.length(1);
      expect(applied.find((a) => a.length > 0)).to.have.length(all.length);
    });
  }
});

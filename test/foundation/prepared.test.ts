/**
 * db/prepared.ts on both drivers the sidecar runs on: node-postgres (named prepared
 * statements) and the embedded PGlite (through knex, whose client also calls itself 'pg': a pg
 * Query handed to PGlite once killed the process on the first search_read). The same text and
 * bindings give knex.raw's rows, on a transaction too, seen by knex's query observers, with
 * PostgreSQL's errors.
 */
import { expect } from 'chai';
import { knex, Knex } from 'knex';
import { freshDatabase, serverReachable, TestDatabase } from '../helpers/pg';
import { openPglite, Database } from '../../src/db/connection';
import { MAX_NAMED, preparedQuery } from '../../src/db/prepared';

interface Driver {
  name: string;
  open(): Promise<{ db: Knex; close(): Promise<void> }>;
}

const drivers: Driver[] = [
  {
    name: 'node-postgres',
    async open() {
      const database: TestDatabase = await freshDatabase('empty');
      const db = knex({ client: 'pg', connection: database.url, pool: { min: 1, max: 1 } });
      return { db, close: async () => { await db.destroy(); await database.drop(); } };
    },
  },
  {
    name: 'PGlite (embedded)',
    async open() {
      const database: Database = await openPglite(null);
      return { db: database.knex, close: () => database.close() };
    },
  },
];

for (const driver of drivers) {
  describe(`foundation: prepared statements (db/prepared.ts) on ${driver.name}`, function () {
    this.timeout(60_000);
    let db: Knex;
    let close: (() => Promise<void>) | undefined;
    before(async function () {
      if (driver.name === 'node-postgres' && !(await serverReachable())) this.skip();
      ({ db, close } = await driver.open());
      await db.raw('create table t (id serial primary key, name text, tags int[], price numeric, day date)');
      await db('t').insert([{ name: 'a?b', tags: [1, 2], price: 1.5, day: '2026-11-22' }, { name: 'c', tags: [3], price: 2, day: '2026-11-23' }]);
    });
    after(async () => close?.());

    it('answers what knex.raw answers for the same text and bindings, `\\?` staying a question mark', async () => {
      const text = `select id, name, '\\?' as q, price, day from t where name = any(?) or ? = any(tags) order by id`;
      const bindings = [['c'], 1];
      const raw = (await db.raw(text, bindings)).rows;
      expect(raw).to.have.length(2);
      expect(await preparedQuery(db, text, bindings)).to.deep.equal(raw);
      // The same statement, other values; numeric as a number, a date as its text, on both drivers.
      expect(await preparedQuery(db, text, [['zz'], 3])).to.deep.equal([{ id: 2, name: 'c', q: '?', price: 2, day: '2026-11-23' }]);
    });

    it('runs on the transaction it is given, and knex query observers see it', async () => {
      const seen: string[] = [];
      // knex's own raw shows its positional text ($1), the node-postgres path the text it was given.
      const observe = (q: { sql: string }) => seen.push(q.sql.replace(/\$\d+/g, '?'));
      db.on('query', observe);
      try {
        await db.transaction(async (trx) => {
          await trx('t').insert({ name: 'uncommitted' });
          const rows = await preparedQuery<{ n: number }>(trx, `select count(*)::int as n from t where name = ?`, ['uncommitted']);
          expect(rows).to.deep.equal([{ n: 1 }]);
          await trx.rollback();
        }).catch(() => undefined);
      } finally {
        db.off('query', observe);
      }
      expect(seen).to.include('select count(*)::int as n from t where name = ?');
      expect((await db('t').where({ name: 'uncommitted' })).length).to.equal(0);
    });

    it('surfaces PostgreSQL errors with their SQLSTATE, as a rejection (the process lives on)', async () => {
      const err = await preparedQuery(db, `select ?::int as v`, ['not a number']).catch((e) => e);
      expect(err).to.have.property('code', '22P02');
      expect(await preparedQuery(db, `select ?::int as v`, [7])).to.deep.equal([{ v: 7 }]);
    });

    if (driver.name === 'node-postgres') {
      it(`names at most ${MAX_NAMED} distinct texts; later ones still run, unnamed`, async () => {
        for (let i = 0; i < MAX_NAMED + 50; i++) {
          expect(await preparedQuery<{ v: number }>(db, `select ?::int + ${i} as v`, [1])).to.deep.equal([{ v: 1 + i }]);
        }
        // One pooled connection: every statement it prepared is in its pg_prepared_statements
        // (run alone, this test names close to MAX_NAMED of its own; in the suite, others took slots).
        const [{ n }] = await preparedQuery<{ n: number }>(db, `select count(*)::int as n from pg_prepared_statements where name like ?`, ['sidecar\\_%']);
        expect(n).to.be.at.most(MAX_NAMED);
      });
    }
  });
}

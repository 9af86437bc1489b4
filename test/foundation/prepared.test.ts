import { expect } from 'chai';
import { knex, Knex } from 'knex';
import { freshDatabase, TestDatabase } from '../helpers/pg';
import { MAX_NAMED, preparedQuery } from '../../src/db/prepared';

describe('foundation: prepared statements (db/prepared.ts)', () => {
  let database: TestDatabase;
  let db: Knex;
  before(async () => {
    database = await freshDatabase('empty');
    db = knex({ client: 'pg', connection: database.url, pool: { min: 1, max: 1 } });
    await db.raw('create table t (id serial primary key, name text, tags int[])');
    await db('t').insert([{ name: 'a?b', tags: [1, 2] }, { name: 'c', tags: [3] }]);
  });
  after(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('answers what knex.raw answers for the same text and bindings, `\\?` staying a question mark', async () => {
    const text = `select id, name, '\\?' as q from t where name = any(?) or ? = any(tags) order by id`;
    const bindings = [['c'], 1];
    const raw = (await db.raw(text, bindings)).rows;
    expect(raw).to.have.length(2);
    expect(await preparedQuery(db, text, bindings)).to.deep.equal(raw);
    expect(await preparedQuery(db, text, [['zz'], 3])).to.deep.equal([{ id: 2, name: 'c', q: '?' }]); // the same statement, other values
  });

  it('runs on the transaction it is given, and knex query observers see it', async () => {
    const seen: string[] = [];
    const observe = (q: { sql: string }) => seen.push(q.sql);
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

  it(`names at most ${MAX_NAMED} distinct texts; later ones still run, unnamed`, async () => {
    for (let i = 0; i < MAX_NAMED + 50; i++) {
      expect(await preparedQuery<{ v: number }>(db, `select ?::int + ${i} as v`, [1])).to.deep.equal([{ v: 1 + i }]);
    }
    // One pooled connection: every statement it prepared is in its pg_prepared_statements
    // (run alone, this test names close to MAX_NAMED of its own; in the suite, others took slots).
    const [{ n }] = await preparedQuery<{ n: number }>(db, `select count(*)::int as n from pg_prepared_statements where name like ?`, ['sidecar\\_%']);
    expect(n).to.be.at.most(MAX_NAMED);
  });

  it('surfaces PostgreSQL errors as pg errors with their SQLSTATE', async () => {
    const err = await preparedQuery(db, `select ?::int as v`, ['not a number']).catch((e) => e);
    expect(err).to.have.property('code', '22P02');
  });
});

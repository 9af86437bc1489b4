/**
 * The embedded database (PGlite, one session) behaves for the code above it like a server:
 * a query sent through the plain knex from inside a transaction does not deadlock, concurrent
 * transactions still run one at a time and do not see each other's uncommitted rows, and a
 * failed transaction leaves nothing behind.
 */
import { expect } from 'chai';
import { detached, openPglite, Database } from '../../src/db/connection';

describe('foundation: embedded PGlite connection', function () {
  this.timeout(30_000);
  let db: Database;
  before(async () => {
    db = await openPglite(null);
    await db.knex.raw('create table t (id serial primary key, v int)');
  });
  after(async () => db?.close());

  it('answers a plain-knex query issued inside a transaction instead of waiting forever', async () => {
    const result = await db.knex.transaction(async (trx) => {
      await trx('t').insert({ v: 1 });
      const exists = await db.knex.schema.hasTable('t');
      const seen = await db.knex('t').count({ n: '*' });
      return { exists, seen: Number(seen[0].n) };
    });
    expect(result).to.deep.equal({ exists: true, seen: 1 });
  });

  it('runs concurrent transactions one after the other, isolated', async () => {
    await db.knex('t').del();
    const order: string[] = [];
    const a = db.knex.transaction(async (trx) => {
      order.push('a begins');
      await trx('t').insert({ v: 2 });
      await new Promise((r) => setTimeout(r, 150));
      order.push('a rolls back');
      throw new Error('rollback');
    }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 20));
    const b = db.knex.transaction(async (trx) => {
      order.push('b begins');
      return Number((await trx('t').count({ n: '*' }))[0].n);
    });
    const [, seenByB] = await Promise.all([a, b]);
    expect(order).to.deep.equal(['a begins', 'a rolls back', 'b begins']);
    expect(seenByB).to.equal(0);
    expect(Number((await db.knex('t').count({ n: '*' }))[0].n)).to.equal(0);
  });

  it('returns numeric as numbers, int8 as integers, dates and timestamps as text, like the pg driver', async () => {
    const row = (await db.knex.raw(`select 1.50::numeric as n, 9007199254740::int8 as b, date '2026-11-22' as d, timestamp '2026-11-22 10:00:00' as ts`)).rows[0];
    expect(row).to.deep.equal({ n: 1.5, b: 9007199254740, d: '2026-11-22', ts: '2026-11-22 10:00:00' });
  });

  it('keeps fire-and-forget work started inside a transaction (detached) out of it: its failure aborts nothing', async () => {
    await db.knex('t').del();
    let background: Promise<unknown> = Promise.resolve();
    await db.knex.transaction(async (trx) => {
      await trx('t').insert({ v: 3 });
      // The registry's signal check does this on a database without Odoo's sequence.
      background = detached(() => db.knex.raw('select last_value from no_such_sequence').catch((e: Error) => e.message));
      await new Promise((r) => setTimeout(r, 20));
      await trx('t').insert({ v: 4 });
    });
    expect(await background).to.match(/no_such_sequence/);
    expect((await db.knex('t').orderBy('v').pluck('v')).map(Number)).to.deep.equal([3, 4]);
  });
});

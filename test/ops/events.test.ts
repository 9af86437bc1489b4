/**
 * Events on Redis: what a sidecar commits reaches a consumer (the repository's
 * examples/events-consumer.ts, a real process with a consumer group) exactly as committed:
 * every point move in a points.moved event, cards created, orders processed, membership
 * changes, job runs, nothing for a rolled-back transaction, and nothing lost while Redis was
 * down and restarted empty.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { expect } from 'chai';
import { Knex } from 'knex';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { basicAuth, cheapPassword, expectLedgerBalanced } from '../helpers/ledger';
import { redisInstalled, startRedis, TestRedis } from '../helpers/redis';
import { tsArgs } from '../helpers/process';
import { serverReachable } from '../helpers/pg';
import { xmlCall } from '../rpc/helpers';
import { runJob } from '../../src/jobs/scheduler';
import { writeLedger } from '../../src/ledger/ledger';

interface Received {
  id: string;
  type: string;
  db: string;
  occurred_at: string;
  data: Record<string, unknown>;
}

describe('ops: events on Redis through the outbox', function () {
  this.timeout(120_000);
  let redis: TestRedis;
  let sidecar: TestSidecar;
  let db: Knex;
  let consumer: ChildProcess;
  const received: Received[] = [];
  const admin = basicAuth('admin', 'admin-events');
  const demo = basicAuth('demo', 'demo-events');
  let firstMove = 0;

  const rest = (path: string, body: unknown, auth: string, key?: string) =>
    fetch(sidecar.url + '/api/v1' + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: auth, ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
    });
  const pending = async () => Number((await db.raw('select count(*) as n from sidecar_event_outbox where delivered_at is null')).rows[0].n);
  const untilDelivered = async () => {
    for (let i = 0; i < 200 && (await pending()) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await pending(), 'outbox drained').to.equal(0);
    // The consumer has read everything the outbox holds.
    const total = Number((await db.raw('select count(*) as n from sidecar_event_outbox')).rows[0].n);
    for (let i = 0; i < 100 && new Set(received.map((e) => e.id)).size < total; i++) await new Promise((r) => setTimeout(r, 100));
  };

  before(async function () {
    if (!redisInstalled() || !(await serverReachable())) {
      process.stderr.write('SKIP ops events: needs redis-server and PostgreSQL\n');
      this.skip();
    }
    redis = await startRedis();
    sidecar = await startTestSidecar('odoo17', { redisUrl: redis.url, eventsStream: 'test:events' });
    db = sidecar.ctx.db.knex;
    await cheapPassword(db, 'admin', 'admin-events');
    await cheapPassword(db, 'demo', 'demo-events');
    firstMove = Number((await db.raw('select coalesce(max(id), 0) as n from loyalty_point_move')).rows[0].n);
    const [command, ...args] = tsArgs('examples/events-consumer.ts');
    consumer = spawn(command, args, { env: { PATH: process.env.PATH, REDIS_URL: redis.url, EVENTS_STREAM: 'test:events', GROUP: 'test' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let buffer = '';
    consumer.stdout!.on('data', (d) => {
      buffer += d;
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) if (line.trim()) received.push(JSON.parse(line));
    });
  });

  after(async () => {
    if (consumer && consumer.exitCode === null) {
      const exited = new Promise((r) => consumer.once('exit', r));
      consumer.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      consumer.kill('SIGKILL');
    }
    await sidecar?.close();
    await redis?.stop();
  });

  it('publishes what each committed change did, and nothing for a refusal or a rollback', async () => {
    // Points: an earn as admin, one as demo (a POS user), a redeem refused for want of points.
    expect((await rest('/points/earn', { card_id: 17, points: 25, reason: 'events-earn' }, admin, 'ev-1')).status).to.equal(201);
    expect((await rest('/points/earn', { card_id: 39, points: 5, reason: 'events-earn-demo' }, demo, 'ev-2')).status).to.equal(201);
    expect((await rest('/points/redeem', { card_id: 21, points: 1e6, reference: 'events-too-much' }, demo)).status).to.equal(409);
    // A card created through the ORM (XML-RPC create), as admin.
    const created = await xmlCall(sidecar.url, '/xmlrpc/2/object', 'execute_kw', [sidecar.ctx.dbName, 2, 'admin-events', 'loyalty.card', 'create', [{ program_id: 15, partner_id: 10 }]]);
    expect(created).to.have.property('result');
    // An external order: processed, its points moved.
    const order = await rest('/orders', { reference: 'events-order-1', partner_id: 64, lines: [{ product_id: 35, qty: 1, price_unit: 1500 }] }, admin, 'ev-3');
    expect(order.status).to.equal(201);
    // A transaction that wrote a move and rolled back.
    await db.transaction(async (trx) => {
      await writeLedger(trx, { cardId: 17, entries: [{ kind: 'adjust', points: 1000 }], origin: { description: 'rolled back', reason: 'events-rollback' }, uid: 2, now: new Date() });
      throw new Error('rolled back on purpose');
    }).catch(() => undefined);
    // A tier and a full membership run: membership.changed for every partner it grants; job.run.
    await db('product_template').whereIn('id', db('product_product').where({ id: 64 }).select('product_tmpl_id'))
      .update({ membership_rank: 1, membership_min_amount: 1, membership_window_days: 3650, membership_date_from: null, membership_date_to: null });
    const run = await runJob(sidecar.ctx, 'membership');
    expect(run.ran).to.equal(true);
    await untilDelivered();

    const outbox = (await db.raw('select event_id, type, payload from sidecar_event_outbox order by id')).rows as Array<{ event_id: string; type: string; payload: Record<string, unknown> }>;
    // Received exactly as committed: the same events, once each after de-duplication.
    const byId = new Map(received.map((e) => [e.id, e]));
    expect(byId.size).to.equal(outbox.length);
    for (const row of outbox) {
      const event = byId.get(row.event_id);
      expect(event, row.type).to.not.equal(undefined);
      expect([event!.type, event!.db, event!.data]).to.deep.equal([row.type, sidecar.ctx.dbName, row.payload]);
      expect(event!.occurred_at).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    }
    // Every move committed since the start is in one points.moved event, and no other move is.
    const moves = (await db.raw('select id from loyalty_point_move where id > ? order by id', [firstMove])).rows.map((r: { id: number }) => r.id);
    const announced = received.filter((e) => e.type === 'points.moved').flatMap((e) => (e.data.moves as Array<{ id: number }>).map((m) => m.id)).sort((a, b) => a - b);
    expect(announced).to.deep.equal(moves);
    expect(received.some((e) => e.data.reason === 'events-rollback')).to.equal(false);
    const earn = received.find((e) => e.type === 'points.moved' && e.data.reason === 'events-earn')!;
    expect(earn.data).to.deep.include({ card_id: 17, program_id: 15, partner_id: 64, delta: 25, balance: 365 });
    const cardIds = received.filter((e) => e.type === 'card.created').map((e) => e.data.card_id);
    expect(cardIds).to.include((created as unknown as { result: number }).result);
    const processed = received.find((e) => e.type === 'order.processed')!;
    expect(processed.data).to.deep.include({ reference: 'events-order-1', partner_id: 64, kind: 'order' });
    const opened = (await db.raw('select id from membership_membership_line where member_transaction_amount_total is not null order by id')).rows.map((r: { id: number }) => r.id);
    expect(opened.length).to.be.greaterThan(0);
    expect(received.filter((e) => e.type === 'membership.changed').map((e) => e.data.opened_line_id).sort((a, b) => Number(a) - Number(b))).to.deep.equal(opened);
    expect(received.filter((e) => e.type === 'job.run').map((e) => [e.data.job, e.data.state])).to.deep.equal([['membership', 'done']]);
    await expectLedgerBalanced(db);
  });

  it('keeps events in the outbox while Redis is down, and delivers them once it is back, even empty', async () => {
    await redis.stop();
    for (let i = 0; i < 5; i++) expect((await rest('/points/earn', { card_id: 70, points: 1, reason: `events-outage-${i}` }, demo, `ev-outage-${i}`)).status).to.equal(201);
    await new Promise((r) => setTimeout(r, 700));
    expect(await pending()).to.equal(5);
    await redis.start();
    await untilDelivered();
    const reasons = received.filter((e) => e.type === 'points.moved').map((e) => e.data.reason);
    expect(reasons.filter((r) => String(r).startsWith('events-outage-'))).to.deep.equal([0, 1, 2, 3, 4].map((i) => `events-outage-${i}`));
    const outbox = Number((await db.raw('select count(*) as n from sidecar_event_outbox')).rows[0].n);
    expect(new Set(received.map((e) => e.id)).size).to.equal(outbox);
  });
});

/**
 * The soak (bench/soak.ts, and its short version in test/ops/soak.test.ts): three replicas (the
 * real `npm start`) behind HAProxy (deploy/haproxy.cfg) on a copy of the Odoo 17 dump, with a
 * Redis of their own for events, driven at a steady rate by a mix of XML-RPC, REST and signed
 * hooks as admin and as demo (a POS user). Midway one replica is killed with SIGKILL and,
 * shortly after, another stopped with SIGTERM; each is started again a few seconds later.
 * Afterwards it checks what the clients were told against the database:
 *   - every acknowledged write is there (earns, redeems, external orders, till orders and hooks);
 *   - no write was applied twice (one move per earn key and redeem reference, one processing per order);
 *   - points = sum(moves) and open lots = balance on every card (the ledger audit);
 *   - no event lost: the outbox is drained and every event of it is in the Redis stream;
 * and reports throughput, p50/p99 and errors per phase, the error rate of the kill window and
 * how long after the SIGKILL the last error came.
 */
import { Agent, request } from 'node:http';
import Redis from 'ioredis';
import { knex, Knex } from 'knex';
import { signHook } from '../../src/api/hook-signature';
import { ledgerDiscrepancies } from '../../src/ledger/audit';
import { decodeMethodResponse, encodeMethodCall } from '../../src/rpc/xml/codec';
import { hashPassword } from '../../src/auth/password';
import { Cluster, startCluster } from '../../test/helpers/cluster';
import { freshDatabase } from '../../test/helpers/pg';
import { startRedis } from '../../test/helpers/redis';
import { uiOrder } from '../../test/modes/mission';

export interface SoakOptions {
  /** Length of the traffic, in seconds. */
  seconds: number;
  /** Requests started per second (an open loop: a slow answer does not slow the arrivals). */
  rate: number;
  /** Seconds a killed or stopped replica stays down before it is started again. */
  downSeconds?: number;
  /**
   * Requests of the same mix sent before the timeline starts, three at a time (default 60):
   * a replica serves its first requests of each kind cold (modules compiled on first use, the
   * loyalty definitions and the registry read, the pool's connections opened and their
   * statements prepared), as a replica does before a rollout sends it its share. Their writes
   * are checked with the others; their times count in no phase.
   */
  warmup?: number;
  /** Where progress lines go. */
  say?: (line: string) => void;
}

export interface PhaseFigures {
  phase: string;
  seconds: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

export interface SoakReport {
  phases: PhaseFigures[];
  /** From the SIGKILL to 5 s after the last replica was back. */
  killWindow: { requests: number; errors: number; errorRate: number; lastErrorAfterKillMs: number | null };
  sigtermExit: { code: number | null; ms: number };
  acknowledged: number;
  checks: {
    missingAcknowledged: string[];
    appliedTwice: string[];
    ledgerDiscrepancies: number;
    outboxPending: number;
    eventsMissingFromRedis: number;
    events: number;
  };
  errorsByStatus: Record<string, number>;
  /** The distinct answers of failed requests (their first 300 characters), with how many. */
  errorAnswers: Record<string, number>;
  /** The replicas' error log lines (message and error), distinct, with how many. */
  replicaErrors: Record<string, number>;
}

const SECRET = 'soak-hook-secret-0123456789abcdef';
const USERS = [
  { login: 'admin', uid: 2, password: 'admin-soak' },
  { login: 'demo', uid: 6, password: 'demo-soak' },
];

type Kind = 'read' | 'preview' | 'earn' | 'redeem' | 'order' | 'till';
/** The mix: reads and previews are most of a till's day; every write path is in it. */
const MIX: Array<[Kind, number]> = [['read', 35], ['preview', 10], ['earn', 20], ['redeem', 10], ['order', 10], ['till', 15]];

interface Sample {
  kind: Kind;
  at: number;
  ms: number;
  status: number;
  ok: boolean;
  /** A failed request's answer, shortened. */
  answer?: string;
}

interface Ack {
  kind: 'earn' | 'redeem' | 'order' | 'till-order' | 'hook';
  key: string;
  detail?: unknown;
}

export async function runSoak(opts: SoakOptions): Promise<SoakReport> {
  const say = opts.say ?? (() => undefined);
  const downMs = (opts.downSeconds ?? 3) * 1000;
  const database = await freshDatabase('odoo17');
  const redis = await startRedis();
  const db: Knex = knex({ client: 'pg', connection: database.url, pool: { min: 0, max: 4 } });
  let cluster: Cluster | null = null;
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  try {
    for (const u of USERS) await db.raw('update res_users set password = ? where login = ?', [await hashPassword(u.password, 1000), u.login]);
    const stream = 'soak:events';
    cluster = await startCluster({
      DATABASE_URL: database.url, HOOK_SECRET: SECRET, REDIS_URL: redis.url, EVENTS_STREAM: stream, LOG_LEVEL: 'warn',
      SHUTDOWN_DELAY_MS: '1500', SHUTDOWN_GRACE_MS: '15000',
    });
    const lb = cluster.balancer.url;
    say(`3 replicas behind HAProxy at ${lb}, database ${database.name}, Redis ${redis.url}`);
    const partners = ((await db.raw(`select distinct partner_id from loyalty_card where program_id = 15 and partner_id is not null order by 1`)).rows as Array<{ partner_id: number }>).map((r) => r.partner_id);
    const cards = ((await db.raw(`select id from loyalty_card where program_id = 15 and partner_id is not null order by id`)).rows as Array<{ id: number }>).map((r) => r.id);

    const samples: Sample[] = [];
    const acks: Ack[] = [];
    const sent = { earn: [] as string[], redeem: [] as string[], order: [] as string[], till: [] as string[] };
    let seq = 0;
    const basic = (u: (typeof USERS)[number]) => 'Basic ' + Buffer.from(`${u.login}:${u.password}`).toString('base64');
    const call = async (kind: Kind, path: string, init: { body: string; headers: Record<string, string> }, okStatuses: number[]) => {
      const t0 = performance.now();
      let status = 0;
      let text = '';
      try {
        ({ status, text } = await send(agent, lb, path, init.body, init.headers));
      } catch {
        status = 0;
      }
      const ok = okStatuses.includes(status);
      samples.push({ kind, at: Date.now(), ms: performance.now() - t0, status, ok, answer: ok ? undefined : text.slice(0, 300) });
      return { ok, status, text };
    };
    const rest = (kind: Kind, path: string, body: unknown, user: (typeof USERS)[number], okStatuses: number[], key?: string) =>
      call(kind, '/api/v1' + path, {
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', authorization: basic(user), ...(key ? { 'idempotency-key': key } : {}) },
      }, okStatuses);
    const rpc = async (kind: Kind, user: (typeof USERS)[number], model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) => {
      const r = await call(kind, '/xmlrpc/2/object', {
        body: encodeMethodCall('execute_kw', [database.name, user.uid, user.password, model, method, args, kwargs]),
        headers: { 'content-type': 'text/xml' },
      }, [200]);
      if (!r.ok) return { ok: false, value: undefined };
      const answer = decodeMethodResponse(r.text);
      if ('fault' in answer) {
        samples[samples.length - 1].ok = false;
        samples[samples.length - 1].status = 1000 + Number(answer.fault.code);
        samples[samples.length - 1].answer = String(answer.fault.string).split('\n').filter(Boolean).pop()?.slice(0, 300);
        return { ok: false, value: undefined };
      }
      return { ok: true, value: answer.result };
    };

    const one = async (i: number) => {
      const user = USERS[i % 2];
      const partner = partners[(i * 7) % partners.length];
      const card = cards[(i * 13) % cards.length];
      const pick = (i * 37) % 100;
      let acc = 0;
      const kind = MIX.find(([, w]) => (acc += w) > pick)![0];
      const key = `soak-${i}`;
      switch (kind) {
        case 'read':
          await rpc('read', user, 'loyalty.card', 'search_read', [[['partner_id', '=', partner]]], { fields: ['code', 'points', 'program_id'] });
          break;
        case 'preview':
          await rest('preview', '/orders/preview', { partner_id: partner, lines: [{ product_id: 35, qty: 1, price_unit: 1500 }] }, user, [200]);
          break;
        case 'earn': {
          sent.earn.push(key);
          const r = await rest('earn', '/points/earn', { card_id: card, points: 1 + (i % 7), reason: key }, user, [201], key);
          if (r.ok) acks.push({ kind: 'earn', key, detail: JSON.parse(r.text) });
          break;
        }
        case 'redeem': {
          sent.redeem.push(key);
          const r = await rest('redeem', '/points/redeem', { card_id: card, points: 1, reference: key }, user, [201, 409], key);
          if (r.ok && r.status === 201) acks.push({ kind: 'redeem', key });
          break;
        }
        case 'order': {
          sent.order.push(key);
          const r = await rest('order', '/orders', { reference: key, partner_id: partner, lines: [{ product_id: 5, qty: 1, price_unit: 20 + (i % 50) }] }, user, [200, 201], key);
          if (r.ok) acks.push({ kind: 'order', key });
          break;
        }
        case 'till': {
          // A till: the order through RPC (create_from_ui), then Odoo's signed hook for it.
          sent.till.push(key);
          const created = await rpc('till', user, 'pos.order', 'create_from_ui', [[uiOrder(key, 161, partner)], false]);
          if (!created.ok) break;
          const id = (created.value as Array<{ id: number }>)[0].id;
          acks.push({ kind: 'till-order', key, detail: id });
          const body = JSON.stringify({ id });
          const ts = Math.floor(Date.now() / 1000);
          const r = await call('till', '/hooks/pos-order', { body, headers: { 'content-type': 'application/json', 'x-sidecar-timestamp': String(ts), 'x-sidecar-signature': signHook(SECRET, ts, body) } }, [200, 201]);
          if (r.ok) acks.push({ kind: 'hook', key, detail: id });
          break;
        }
      }
    };

    for (let i = 0, n = opts.warmup ?? 60; i < n; i += 3) {
      await Promise.all([0, 1, 2].filter((k) => i + k < n).map(() => one(seq++).catch(() => undefined)));
    }
    say(`warm-up: ${seq} requests`);

    // The traffic, with the kills on a timeline of its own.
    const started = Date.now();
    const total = opts.seconds * 1000;
    const marks: Record<string, number> = {};
    let sigterm = { code: null as number | null, ms: 0 };
    const events = (async () => {
      await sleep(total * 0.4);
      marks.kill = Date.now();
      say(`${((marks.kill - started) / 1000).toFixed(1)} s: SIGKILL replica 2`);
      await cluster!.signal(1, 'SIGKILL');
      await sleep(downMs / 2);
      marks.term = Date.now();
      say(`${((marks.term - started) / 1000).toFixed(1)} s: SIGTERM replica 3`);
      const stopping = cluster!.signal(2, 'SIGTERM');
      await sleep(Math.max(0, marks.kill + downMs - Date.now()));
      await cluster!.restart(1);
      say(`${((Date.now() - started) / 1000).toFixed(1)} s: replica 2 started again`);
      const stopped = await stopping;
      sigterm = { code: stopped.code, ms: stopped.ms };
      say(`replica 3 exited with ${stopped.code} ${stopped.ms} ms after SIGTERM`);
      await sleep(Math.max(0, marks.term + downMs - Date.now()));
      await cluster!.restart(2);
      marks.back = Date.now();
      say(`${((marks.back - started) / 1000).toFixed(1)} s: replica 3 started again`);
    })();
    const inFlight = new Set<Promise<void>>();
    const interval = 1000 / opts.rate;
    for (let i = 0; Date.now() - started < total; i++) {
      const due = started + i * interval;
      if (due > Date.now()) await sleep(due - Date.now());
      const p = one(seq++).catch(() => undefined);
      inFlight.add(p);
      p.finally(() => inFlight.delete(p));
    }
    await Promise.all(inFlight);
    await events;
    const ended = Date.now();
    say(`traffic done: ${samples.length} requests in ${((ended - started) / 1000).toFixed(1)} s`);

    // Phases.
    const windowEnd = Math.min(ended, (marks.back ?? ended) + 5000);
    const phase = (name: string, from: number, to: number): PhaseFigures => {
      const s = samples.filter((x) => x.at >= from && x.at < to);
      const ms = s.map((x) => x.ms).sort((a, b) => a - b);
      const pct = (p: number) => (ms.length ? ms[Math.min(ms.length - 1, Math.floor(ms.length * p))] : 0);
      return { phase: name, seconds: (to - from) / 1000, requests: s.length, rps: s.length / Math.max((to - from) / 1000, 1e-3), p50: pct(0.5), p99: pct(0.99), errors: s.filter((x) => !x.ok).length };
    };
    const phases = [
      phase('before the kills', started, marks.kill),
      phase('kill window (SIGKILL to 5 s after both are back)', marks.kill, windowEnd),
      phase('after', windowEnd, ended + 1),
      phase('whole run', started, ended + 1),
    ];
    const inWindow = samples.filter((x) => x.at >= marks.kill && x.at < windowEnd);
    const windowErrors = inWindow.filter((x) => !x.ok);
    const lastError = windowErrors.length ? Math.max(...windowErrors.map((x) => x.at)) - marks.kill : null;
    const errorsByStatus: Record<string, number> = {};
    const errorAnswers: Record<string, number> = {};
    for (const s of samples.filter((x) => !x.ok)) {
      errorsByStatus[`${s.kind}:${s.status}`] = (errorsByStatus[`${s.kind}:${s.status}`] ?? 0) + 1;
      const a = (s.answer ?? '(no answer)').replace(/request id [^)\s]+/, 'request id …');
      errorAnswers[a] = (errorAnswers[a] ?? 0) + 1;
    }

    // Checks.
    const missing: string[] = [];
    const twice: string[] = [];
    const movesBy = new Map<string, { n: number; ids: number[] }>();
    for (const r of (await db.raw(`select coalesce(reason, reference) as k, count(*)::int as n, array_agg(id order by id) as ids from loyalty_point_move
                                    where coalesce(reason, reference) like 'soak-%' and kind in ('adjust', 'redeem') group by 1`)).rows as Array<{ k: string; n: number; ids: number[] }>) {
      movesBy.set(r.k, r);
      if (r.n !== 1) twice.push(`move ${r.k} x${r.n}`);
    }
    const processed = new Set(((await db.raw(`select external_reference from sidecar_processed_order where external_reference like 'soak-%'`)).rows as Array<{ external_reference: string }>).map((r) => r.external_reference));
    const tillOrders = new Map(((await db.raw(`select pos_reference, count(*)::int as n, min(id) as id from pos_order where pos_reference like 'Order soak-%' group by 1`)).rows as Array<{ pos_reference: string; n: number; id: number }>).map((r) => [r.pos_reference, r]));
    for (const [ref, r] of tillOrders) if (r.n !== 1) twice.push(`pos order ${ref} x${r.n}`);
    const hooked = new Set(((await db.raw(`select pos_order_id from sidecar_processed_order where pos_order_id in (select id from pos_order where pos_reference like 'Order soak-%')`)).rows as Array<{ pos_order_id: number }>).map((r) => r.pos_order_id));
    for (const a of acks) {
      if (a.kind === 'earn' && JSON.stringify(movesBy.get(a.key)?.ids) !== JSON.stringify((a.detail as { move_ids: number[] }).move_ids)) missing.push(`earn ${a.key}`);
      if (a.kind === 'redeem' && !movesBy.has(a.key)) missing.push(`redeem ${a.key}`);
      if (a.kind === 'order' && !processed.has(a.key)) missing.push(`order ${a.key}`);
      if (a.kind === 'till-order' && tillOrders.get(`Order ${a.key}`)?.id !== a.detail) missing.push(`till order ${a.key}`);
      if (a.kind === 'hook' && !hooked.has(a.detail as number)) missing.push(`hook ${a.key}`);
    }
    const wrong = await ledgerDiscrepancies(db);
    // Events: the outbox drains, and each of its events is in the stream.
    let pending = 0;
    for (let i = 0; i < 300; i++) {
      pending = Number((await db.raw('select count(*) as n from sidecar_event_outbox where delivered_at is null')).rows[0].n);
      if (pending === 0) break;
      await sleep(100);
    }
    const outbox = ((await db.raw('select event_id from sidecar_event_outbox')).rows as Array<{ event_id: string }>).map((r) => r.event_id);
    const client = new Redis(redis.url);
    const inStream = new Set<string>();
    try {
      let from = '-';
      for (;;) {
        const entries = (await client.xrange(stream, from, '+', 'COUNT', 5000)) as Array<[string, string[]]>;
        for (const [, fields] of entries) inStream.add(fields[fields.indexOf('id') + 1]);
        if (entries.length < 5000) break;
        from = '(' + entries[entries.length - 1][0];
      }
    } finally {
      client.disconnect();
    }
    const replicaErrors: Record<string, number> = {};
    for (const l of cluster.logLines().filter((x) => x.level === 'error' || x.level === 'warn')) {
      const k = `${l.level}: ${l.msg} ${String(l.error ?? '').slice(0, 200)}`;
      replicaErrors[k] = (replicaErrors[k] ?? 0) + 1;
    }
    return {
      phases,
      killWindow: { requests: inWindow.length, errors: windowErrors.length, errorRate: inWindow.length ? windowErrors.length / inWindow.length : 0, lastErrorAfterKillMs: lastError },
      sigtermExit: sigterm,
      acknowledged: acks.length,
      checks: {
        missingAcknowledged: missing,
        appliedTwice: twice,
        ledgerDiscrepancies: wrong.length,
        outboxPending: pending,
        eventsMissingFromRedis: outbox.filter((id) => !inStream.has(id)).length,
        events: outbox.length,
      },
      errorsByStatus,
      errorAnswers,
      replicaErrors,
    };
  } finally {
    agent.destroy();
    await cluster?.stop();
    await db.destroy();
    await redis.stop();
    await database.drop();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One POST over a keep-alive connection; any status answers (a refused or cut connection throws). */
function send(agent: Agent, base: string, path: string, body: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function formatReport(r: SoakReport): string {
  const lines = r.phases.map((p) =>
    `${p.phase.padEnd(50)} ${p.seconds.toFixed(1).padStart(6)} s ${String(p.requests).padStart(7)} req ${p.rps.toFixed(1).padStart(7)} req/s   p50 ${p.p50.toFixed(2).padStart(7)} ms   p99 ${p.p99.toFixed(2).padStart(8)} ms   errors ${p.errors}`);
  lines.push(
    `kill window: ${r.killWindow.errors} errors of ${r.killWindow.requests} (${(100 * r.killWindow.errorRate).toFixed(2)}%), last error ${r.killWindow.lastErrorAfterKillMs === null ? 'none' : `${(r.killWindow.lastErrorAfterKillMs / 1000).toFixed(2)} s`} after the SIGKILL`,
    `SIGTERM: exit ${r.sigtermExit.code} after ${r.sigtermExit.ms} ms`,
    `errors by kind:status ${JSON.stringify(r.errorsByStatus)}`,
    ...Object.entries(r.errorAnswers).map(([a, n]) => `  ${n} x ${a}`),
    'replica log lines at warn and error:',
    ...Object.entries(r.replicaErrors).map(([a, n]) => `  ${n} x ${a}`),
    `acknowledged writes ${r.acknowledged}: missing ${r.checks.missingAcknowledged.length}, applied twice ${r.checks.appliedTwice.length}; ledger discrepancies ${r.checks.ledgerDiscrepancies}; events ${r.checks.events}, outbox pending ${r.checks.outboxPending}, missing from Redis ${r.checks.eventsMissingFromRedis}`,
  );
  return lines.join('\n');
}

/**
 * `npm run bench -- hooks [--orders 200] [--round 20]`: the bridge addon's hooks in a real Odoo 17
 * (needs Odoo's source, ../shared/odoo17-server/README.md) with the sidecar attached to the same
 * database as a process of its own (`npm start`).
 *
 * Odoo's create_from_ui of one paid order at a time, in alternating rounds with the addon's
 * automation rule active and inactive (the baseline: Odoo's own RPC call without the hook):
 * - Odoo's commit → points in the sidecar's ledger: from the post-commit send (the addon logs
 *   when the hook was answered and how long it took) to the moment this process, polling the
 *   database every millisecond, sees the order's moves committed;
 * - what the automation and its hook add to Odoo's RPC call: the client's latency with against
 *   without.
 * Also the signed ping's round trip from this process (the transport floor).
 */
import { loadavg } from 'node:os';
import { Client } from 'pg';
import { HOOK_SECRET, configureBridge, tillOrder } from '../test/helpers/bridge';
import { freshOdooDatabase, installModules, odooUnavailable, startOdoo } from '../test/helpers/odoo';
import { freePort, spawnSidecar } from '../test/helpers/process';
import { signHook } from '../src/api/hook-signature';
import { numberArg } from './lib/args';

/** Calls not measured after each switch between the variants. */
const WARM_UP = 3;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))];
};
const line = (label: string, xs: number[]) =>
  `${label.padEnd(64)} n=${String(xs.length).padEnd(4)} p50 ${pct(xs, 0.5).toFixed(1).padStart(7)} ms   p99 ${pct(xs, 0.99).toFixed(1).padStart(7)} ms`;

async function main(): Promise<void> {
  const unavailable = odooUnavailable();
  if (unavailable) {
    process.stderr.write(`hooks bench skipped: ${unavailable}\n`);
    return;
  }
  const orders = numberArg('orders', 200);
  const round = numberArg('round', 20);
  const database = await freshOdooDatabase();
  const port = await freePort();
  const sidecar = await spawnSidecar({ DATABASE_URL: database.url, HOOK_SECRET, JOBS: 'off', LOG_LEVEL: 'warn' }, port, 120_000);
  const url = `http://127.0.0.1:${port}`;
  let odoo: Awaited<ReturnType<typeof startOdoo>> | undefined;
  try {
    const installed = await installModules(database.name, 'loyalty_sidecar_bridge');
    odoo = await startOdoo(database.name, { args: ['--log-handler', 'odoo.addons.loyalty_sidecar_bridge.models.sidecar_client:DEBUG'] });
    await configureBridge(odoo, url);
    const [automation] = await odoo.call<Array<{ id: number }>>('base.automation', 'search_read', [[['name', 'like', 'paid POS order']]], { fields: ['id'] });
    const pg = new Client({ connectionString: database.url });
    await pg.connect();
    const now = () => performance.timeOrigin + performance.now();
    /** One create_from_ui; answers its latency and the order id. */
    const sell = async () => {
      const t = now();
      const [{ id }] = await odoo!.call<Array<{ id: number }>>('pos.order', 'create_from_ui', [[tillOrder(64, [{ product_id: 5, qty: 1, price_unit: 70 }])], false]);
      return { ms: now() - t, id };
    };
    /** When the order's points are in the ledger (committed), polled every millisecond. */
    const inLedger = async (id: number) => {
      for (;;) {
        if ((await pg.query('select 1 from loyalty_point_move where pos_order_id = $1 limit 1', [id])).rowCount) return now();
        await new Promise((r) => setTimeout(r, 1));
      }
    };
    // Warm both sides (Odoo's registry caches, the sidecar's catalogue) before measuring.
    for (let i = 0; i < 10; i++) await inLedger((await sell()).id);
    odoo.mark();
    const firstOrder = (await sell()).id;
    const variants = {
      without: { label: 'create_from_ui, automation inactive (baseline)', ms: [] as number[] },
      unsent: { label: 'create_from_ui, automation active, no sidecar URL (no hook)', ms: [] as number[] },
      with: { label: 'create_from_ui, automation active, hook sent after commit', ms: [] as number[] },
    };
    const setUrl = (value: string) => odoo!.call('ir.config_parameter', 'set_param', ['loyalty_sidecar_bridge.url', value]);
    const ledgerAt = new Map<number, number>();
    for (let done = 0; done < orders; done += round) {
      for (const variant of ['with', 'without', 'unsent'] as const) {
        await odoo.call('base.automation', 'write', [[automation.id], { active: variant !== 'without' }]);
        await setUrl(variant === 'unsent' ? '' : url);
        // Toggling an automation rule reloads Odoo's registry, and a system parameter clears its
        // caches: the first calls after pay for that, not for the hook.
        for (let i = 0; i < WARM_UP; i++) await sell();
        for (let i = 0; i < Math.min(round, orders - done); i++) {
          const { ms, id } = await sell();
          variants[variant].ms.push(ms);
          if (variant === 'with') ledgerAt.set(id, await inLedger(id));
        }
      }
    }
    await setUrl(url);
    // The addon logs each hook it sent after a commit: "<path> [<ids>] answered <status> in <ms> ms", at the time of the answer.
    const commitToLedger: number[] = [];
    const accepted: number[] = [];
    for (const m of odoo.log().matchAll(/^(\d{4}-\d\d-\d\d) ([\d:]+),(\d{3}) .*\/hooks\/pos-order \[(\d+)\] answered 202 in ([\d.]+) ms/gm)) {
      const answeredAt = new Date(`${m[1]}T${m[2]}.${m[3]}`).getTime();
      const sentAt = answeredAt - Number(m[5]); // Odoo's commit, then the post-commit callback
      if (Number(m[4]) <= firstOrder) continue;
      const ledger = ledgerAt.get(Number(m[4]));
      if (ledger === undefined) continue; // a warm-up call
      accepted.push(Number(m[5]));
      commitToLedger.push(ledger - sentAt);
    }
    const pings: number[] = [];
    for (let i = 0; i < orders; i++) {
      const ts = Math.floor(Date.now() / 1000);
      const t = now();
      const res = await fetch(`${url}/hooks/ping`, { method: 'POST', body: '{}', headers: { 'X-Sidecar-Timestamp': String(ts), 'X-Sidecar-Signature': signHook(HOOK_SECRET, ts, '{}') } });
      await res.text();
      pings.push(now() - t);
    }
    await pg.end();
    const { with: w, without: wo, unsent } = variants;
    process.stdout.write([
      `hooks: Odoo 17 create_from_ui of one paid order, ${orders} with the addon's automation and ${orders} without, alternating rounds of ${round}`,
      `  addon install (odoo-bin -i): ${installed.ms} ms`,
      line('  signed ping round trip from Node (transport floor)', pings),
      line('  the post-commit hook, sent to accepted (in Odoo)', accepted),
      line('  Odoo commit -> points in the ledger (polled, 1 ms)', commitToLedger),
      line('  ' + wo.label, wo.ms),
      line('  ' + unsent.label, unsent.ms),
      line('  ' + w.label, w.ms),
      `  added to Odoo's RPC call: p50 ${(pct(w.ms, 0.5) - pct(wo.ms, 0.5)).toFixed(1)} ms, p99 ${(pct(w.ms, 0.99) - pct(wo.ms, 0.99)).toFixed(1)} ms`
        + `   (goals: commit -> ledger p99 < 200 ms, added p99 < 20 ms)`,
      `  load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
      '',
    ].join('\n'));
  } finally {
    await odoo?.stop();
    await sidecar.stop();
    await database.drop();
  }
}

main().catch((err) => {
  process.stderr.write(`hooks bench failed: ${(err as Error).stack}\n`);
  process.exit(1);
});

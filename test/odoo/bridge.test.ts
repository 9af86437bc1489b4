/**
 * The bridge addon (addons-bridge/loyalty_sidecar_bridge) in a real Odoo 17, with the sidecar
 * attached to the same database as another PostgreSQL role than Odoo's (the sidecar connects
 * as a superuser, Odoo as its own role odoo_h): installed after the sidecar migrated the
 * database, upgraded, then the flows the addon exists for, in order, on one Odoo server.
 */
import { expect } from 'chai';
import { Client } from 'pg';
import { refreshRegistry } from '../../src/orm/registry';
import { runJob } from '../../src/jobs/scheduler';
import { describeOdoo, freshOdooDatabase, installModules, OdooDatabase, odooShell, OdooServer, startOdoo } from '../helpers/odoo';
import { AttachedSidecar, configureBridge, HOOK_SECRET, odooProblems, odooXmlrpc, sidecarColumns, tillOrder } from '../helpers/bridge';

/** Polls `fn` until it answers something truthy (within `ms`). */
async function eventually<T>(fn: () => Promise<T>, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describeOdoo('bridge addon in a real Odoo 17 (sidecar first)', function () {
  let database: OdooDatabase;
  let sidecar: AttachedSidecar;
  let odoo: OdooServer;
  /** Odoo's log since the last check must hold no warning or error. */
  const expectCleanLog = (what: string) => {
    expect(odooProblems(odoo.log()), `Odoo's log ${what}`).to.deep.equal([]);
    odoo.mark();
  };
  const sql = async <T = Record<string, unknown>>(text: string, params: Array<string | number> = []) => (await sidecar.knex.raw(text, params)).rows as T[];
  const ledgerBalanced = async () => sql(`
    select c.id from loyalty_card c left join loyalty_point_move m on m.card_id = c.id
     group by c.id having abs(coalesce(c.points, 0) - coalesce(sum(m.points), 0)) > 1e-6`);
  let servedBefore: Record<string, unknown>;

  before(async () => {
    database = await freshOdooDatabase();
    sidecar = await AttachedSidecar.start(database.url);
    servedBefore = await sidecar.call('loyalty.point.move', 'fields_get', [], { attributes: ['type', 'string', 'relation', 'selection', 'required', 'readonly'] });
  });
  after(async () => {
    await odoo?.stop();
    await sidecar?.stop();
    await database?.drop();
  });

  it('installs with -i and upgrades with -u after the sidecar migrated: no warning, no column changed', async function () {
    const columns = await sidecarColumns(sidecar.knex);
    expect(columns.join('\n')).to.contain('res_partner.referral_code varchar');
    const installed = await installModules(database.name, 'loyalty_sidecar_bridge');
    expect(odooProblems(installed.output), 'odoo-bin -i').to.deep.equal([]);
    const upgraded = await installModules(database.name, 'loyalty_sidecar_bridge', { update: true });
    expect(odooProblems(upgraded.output), 'odoo-bin -u').to.deep.equal([]);
    expect(await sidecarColumns(sidecar.knex)).to.deep.equal(columns);
    process.stderr.write(`      install ${installed.ms} ms, upgrade ${upgraded.ms} ms\n`);
  });

  it('Odoo starts with the addon, reads every model (the sidecar\'s included) and the sidecar serves them as before', async () => {
    // The addon's hook client logs every answer at debug level: the proof the sidecar answered.
    odoo = await startOdoo(database.name, { args: ['--log-handler', 'odoo.addons.loyalty_sidecar_bridge.models.sidecar_client:DEBUG'] });
    odoo.mark();
    await configureBridge(odoo, sidecar.url);
    const models = await odoo.call<Array<{ model: string; count: number }>>('ir.model', 'search_read', [[]], { fields: ['model', 'count'] });
    expect(models.map((m) => m.model)).to.include.members(['loyalty.point.move', 'loyalty.point.history', 'sidecar.job.run']);
    const moves = await odoo.call<Array<{ kind: string; points: number }>>('loyalty.point.move', 'search_read', [[['card_id', '=', 17]]], { fields: ['kind', 'points'] });
    expect(moves.map((m) => [m.kind, m.points])).to.deep.equal([['opening', 340]]);
    // Odoo's role reads the sidecar's tables: the migration granted them.
    expect((await sql(`select has_table_privilege('odoo_h', 'loyalty_point_move', 'SELECT') as ok`))[0].ok).to.equal(true);
    await refreshRegistry(sidecar.running!.ctx);
    const servedNow = await sidecar.call('loyalty.point.move', 'fields_get', [], { attributes: ['type', 'string', 'relation', 'selection', 'required', 'readonly'] });
    expect(servedNow, 'the addon declares what the sidecar served without it').to.deep.equal(servedBefore);
    expectCleanLog('at start');
  });

  it('a partner created through Odoo\'s XML-RPC gets the primary program\'s card and a referral code within seconds', async () => {
    await odoo.call('loyalty.program', 'write', [[15], { is_primary_loyalty: true }]);
    const id = await odooXmlrpc<number>(odoo, 2, 'admin', 'res.partner', 'create', [{ name: 'Bridge New Customer' }]);
    const card = await eventually(async () => (await sql<{ id: number }>('select id from loyalty_card where partner_id = ? and program_id = 15', [id]))[0]);
    expect(card, 'card').to.not.equal(undefined);
    const [partner] = await odoo.call<Array<{ referral_code: string }>>('res.partner', 'read', [[id]], { fields: ['referral_code'] });
    expect(partner.referral_code).to.match(/^[A-Z2-9]{8}$/);
    expectCleanLog('after creating a partner');
  });

  it('a POS order created and paid through Odoo earns its points in the sidecar\'s ledger once, read through Odoo\'s RPC; the till\'s checks are the sidecar\'s', async () => {
    const before = (await sql<{ points: number }>('select points from loyalty_card where id = 17'))[0].points;
    const valid = await odoo.call<{ successful: boolean }>('pos.order', 'validate_coupon_programs', [[], { 17: -100 }, []]);
    expect(valid).to.deep.equal({ successful: true, payload: {} });
    expect(odoo.log()).to.contain('/hooks/pos-coupons [] answered 200');
    const [{ id }] = await odoo.call<Array<{ id: number }>>('pos.order', 'create_from_ui', [[tillOrder(64, [{ product_id: 5, qty: 2, price_unit: 70 }])], false]);
    // The automation's hook was accepted before Odoo answered create_from_ui; the sidecar processes the order at once.
    const readMoves = () => odoo.call<Array<{ kind: string; points: number; card_id: [number, string] }>>('loyalty.point.move', 'search_read', [[['pos_order_id', '=', id]]], { fields: ['kind', 'points', 'card_id'] });
    const moves = await eventually(async () => { const m = await readMoves(); return m.length ? m : undefined; }) ?? [];
    expect(moves.filter((m) => m.card_id[0] === 17).map((m) => [m.kind, m.points])).to.deep.equal([['earn', 161]]);
    const confirm = await odoo.call<{ coupon_updates: Array<{ id: number; points: number }> }>('pos.order', 'confirm_coupon_programs', [[id], { 17: { points: 161, program_id: 15, coupon_id: 17, barcode: false, partner_id: 64 } }]);
    expect(confirm.coupon_updates.find((u) => u.id === 17)).to.deep.include({ old_id: 17, id: 17, points: before + 161, program_id: 15, partner_id: 64 });
    // Once: the confirm found the order processed by the hook and wrote nothing more.
    expect(await sql('select card_id, kind, count(*)::int as n from loyalty_point_move where pos_order_id = ? group by 1, 2 having count(*) > 1', [id])).to.deep.equal([]);
    expect((await sql('select count(*)::int as n from loyalty_point_move where pos_order_id = ?', [id]))[0]).to.deep.equal({ n: moves.length });
    expect((await sql('select source from sidecar_processed_order where pos_order_id = ?', [id]))[0]).to.deep.equal({ source: 'hook' });
    expect((await sql('select loyalty_fallback_points from pos_order where id = ?', [id]))[0]).to.deep.equal({ loyalty_fallback_points: null });
    expect(await ledgerBalanced()).to.deep.equal([]);
    expectCleanLog('after selling');
  });

  it('a cashier (POS user, not a manager) sells through Odoo: the hooks act as the cashier, who reads the moves but not the job runs', async () => {
    const cashier = { login: 'cashier', password: 'cashier' };
    const valid = await odoo.call<{ successful: boolean }>('pos.order', 'validate_coupon_programs', [[], { 18: -10 }, []], {}, cashier);
    expect(valid.successful).to.equal(true);
    const [{ id }] = await odoo.call<Array<{ id: number }>>('pos.order', 'create_from_ui', [[{ ...tillOrder(65, [{ product_id: 5, qty: 1, price_unit: 70 }]) }], false], {}, cashier);
    await odoo.call('pos.order', 'confirm_coupon_programs', [[id], { 18: { points: 80.5, program_id: 15, coupon_id: 18, barcode: false, partner_id: 65 } }], {}, cashier);
    const moves = await eventually(async () => {
      const m = await odoo.call<Array<{ create_uid: [number, string]; card_id: [number, string] }>>('loyalty.point.move', 'search_read', [[['pos_order_id', '=', id]]], { fields: ['create_uid', 'card_id'] }, cashier);
      return m.length ? m : undefined;
    });
    expect(moves!.map((m) => m.create_uid[0])).to.include(8);
    expect((await sql('select create_uid from sidecar_processed_order where pos_order_id = ?', [id]))[0]).to.deep.equal({ create_uid: 8 });
    expectCleanLog('after the cashier sold');
    const denied = await odoo.call('sidecar.job.run', 'search_read', [[]], { fields: ['job'] }, cashier).catch((err: Error) => err.message);
    expect(denied).to.match(/AccessError/);
    // Odoo logs the refusal (a warning of its own): not a problem of the bridge.
    odoo.mark();
  });

  it('the settings\' Test Connection pings the sidecar with the URL and secret as typed', async () => {
    const test = async (secret: string) => {
      const [settings] = await odoo.call<number[]>('res.config.settings', 'create', [[{ loyalty_sidecar_url: sidecar.url, loyalty_sidecar_secret: secret }]]);
      return odoo.call<{ params: { type: string; message: string } }>('res.config.settings', 'action_loyalty_sidecar_test', [[settings]]);
    };
    const ok = await test(HOOK_SECRET);
    expect(ok.params).to.deep.include({ type: 'success' });
    expect(ok.params.message).to.contain(database.name);
    const refused = await test('not-the-secret-0123456789');
    expect(refused.params).to.deep.include({ type: 'danger' });
    expect(refused.params.message).to.match(/secret/);
  });

  it('a cron triggered through Odoo runs the sidecar\'s job once, and the runs are readable in Odoo', async () => {
    const [cron] = await odoo.call<Array<{ id: number }>>('ir.cron', 'search_read', [[['name', '=', 'Loyalty sidecar: expire points']]], { fields: ['id'] });
    await odoo.call('ir.cron', 'method_direct_trigger', [[cron.id]]);
    await odoo.call('ir.cron', 'method_direct_trigger', [[cron.id]]);
    const runs = await odoo.call<Array<{ job: string; trigger: string; state: string; create_uid: [number, string] }>>('sidecar.job.run', 'search_read', [[['job', '=', 'expire-points']]], { fields: ['job', 'trigger', 'state', 'create_uid'], order: 'id' });
    expect(runs.map((r) => [r.job, r.trigger, r.state])).to.deep.equal([['expire-points', 'odoo', 'done'], ['expire-points', 'odoo', 'skipped']]);
    expect(runs[0].create_uid[0], 'the acting user: the cron\'s user, Odoo\'s superuser').to.equal(1);
    expectCleanLog('after the cron');
  });

  it('with the sidecar stopped, Odoo creates partners and sells; started again, the sweep catches up and every card\'s points equal its moves', async () => {
    await sidecar.stop();
    try {
      await sellWhileDown();
    } finally {
      if (!sidecar.running) await sidecar.start();
    }
  });

  /** The part of the test above that runs with the sidecar stopped, and its catching up. */
  async function sellWhileDown(): Promise<void> {
    const partner = await odooXmlrpc<number>(odoo, 2, 'admin', 'res.partner', 'create', [{ name: 'Created While Down' }]);
    const card18 = await pgValue<number>(database.url, 'select points from loyalty_card where id = 18');
    // The till: validate and confirm answered by Odoo's own code (the sidecar is down).
    const valid = await odoo.call<{ successful: boolean }>('pos.order', 'validate_coupon_programs', [[], { 18: -10 }, []]);
    expect(valid.successful).to.equal(true);
    const [{ id }] = await odoo.call<Array<{ id: number }>>('pos.order', 'create_from_ui', [[tillOrder(65, [{ product_id: 5, qty: 1, price_unit: 70 }])], false]);
    await odoo.call('pos.order', 'confirm_coupon_programs', [[id], { 18: { points: 80.5, program_id: 15, coupon_id: 18, barcode: false, partner_id: 65 } }]);
    expect(await pgValue(database.url, 'select points from loyalty_card where id = 18')).to.equal(card18 + 80.5);
    expect(await pgValue(database.url, 'select loyalty_fallback_points from pos_order where id = ' + id)).to.deep.equal({ 18: 80.5 });
    expectCleanLog('while the sidecar is down');

    await sidecar.start();
    const sweep = await sidecar.hook('job', { job: 'points-sweep', uid: 2 });
    expect(sweep.body).to.deep.include({ state: 'done' });
    expect(sweep.body.result).to.deep.include({ processed: 1, settled: 0, welcomed: 1, adjusted: 0 });
    // Counted once: Odoo's 80.5 taken back, the sidecar's own earn stands.
    expect(await pgValue(database.url, 'select points from loyalty_card where id = 18')).to.equal(card18 + 80.5);
    expect(await sql('select kind, points::float8 as points from loyalty_point_move where pos_order_id = ? and card_id = 18', [id])).to.deep.equal([{ kind: 'earn', points: 80.5 }]);
    expect(await ledgerBalanced()).to.deep.equal([]);
    expect((await sql('select count(*)::int as n from loyalty_card where partner_id = ? and program_id = 15', [partner]))[0]).to.deep.equal({ n: 1 });
    expect((await sql<{ referral_code: string | null }>('select referral_code from res_partner where id = ?', [partner]))[0].referral_code).to.match(/^[A-Z2-9]{8}$/);
  }

  it('what the sidecar wrote reads the same through Odoo\'s RPC as through the sidecar\'s', async () => {
    const cards = (await sql<{ id: number }>('select distinct card_id as id from loyalty_point_move where create_date > now() - interval \'1 hour\' order by 1')).map((r) => r.id);
    const partners = (await sql<{ id: number }>('select distinct partner as id from membership_membership_line union select id from res_partner where referral_code is not null order by 1')).map((r) => r.id);
    const reads: Array<[string, unknown[], string[]]> = [
      ['loyalty.card', [['id', 'in', cards]], ['code', 'points', 'partner_id', 'program_id', 'expiration_date', 'source_pos_order_id']],
      ['loyalty.point.move', [['card_id', 'in', cards]], ['card_id', 'kind', 'points', 'remaining', 'expiration_date', 'lot_id', 'pos_order_id', 'reference', 'company_id']],
      ['loyalty.point.history', [['card_id', 'in', cards]], ['card_id', 'description', 'issued', 'used', 'order_model', 'order_id']],
      ['membership.membership_line', [], ['partner', 'membership_id', 'state', 'date_from', 'date_to', 'date_cancel', 'member_price', 'member_transaction_amount_total']],
      ['res.partner', [['id', 'in', partners]], ['membership_state', 'membership_start', 'membership_stop', 'membership_cancel', 'referral_code']],
      ['pos.order', [['partner_id', 'in', [64, 65]]], ['name', 'state', 'amount_total', 'membership_product_id', 'referral_code_used']],
    ];
    for (const [model, domain, fields] of reads) {
      const viaOdoo = await odoo.call(model, 'search_read', [domain], { fields, order: 'id' });
      const viaSidecar = await sidecar.call(model, 'search_read', [domain], { fields, order: 'id' });
      expect(viaSidecar, model).to.deep.equal(viaOdoo);
      expect((viaOdoo as unknown[]).length, model).to.be.greaterThan(0);
    }
  });

  it('tiers: Odoo\'s own membership recomputation (odoo-bin shell) changes nothing, the sidecar\'s job then opens no duplicate and displaces no bought membership', async () => {
    // Tiers configured through Odoo's own forms' fields (the addon's).
    for (const [product, rank, min] of [[64, 1, 500], [65, 2, 2000], [66, 3, 5000]]) {
      const [{ product_tmpl_id }] = await odoo.call<Array<{ product_tmpl_id: [number, string] }>>('product.product', 'read', [[product]], { fields: ['product_tmpl_id'] });
      await odoo.call('product.template', 'write', [[product_tmpl_id[0]], { membership_rank: rank, membership_min_amount: min }]);
    }
    // Partner 10 paid Gold on an invoice and now spends enough for Platinum; partner 67 reaches Silver.
    await odoo.call('pos.order', 'create_from_ui', [[tillOrder(10, [{ product_id: 19, qty: 3, price_unit: 1799 }]), tillOrder(67, [{ product_id: 5, qty: 4, price_unit: 70 }])], false]);
    const tiers = async () => sql<{ partner: number; membership_id: number; state: string }>(
      'select partner, membership_id, state from membership_membership_line where partner in (10, 67) order by id');
    const expected = [{ partner: 10, membership_id: 65, state: 'paid' }, { partner: 10, membership_id: 66, state: 'free' }, { partner: 67, membership_id: 64, state: 'free' }];
    await eventually(async () => (await tiers()).length === expected.length);
    expect(await tiers()).to.deep.equal(expected);
    const states = async () => sql('select id, membership_state, membership_start::text, membership_stop::text from res_partner where id in (10, 67) order by id');
    expect((await states()).map((p) => p.membership_state), 'the bought Gold stays: partner 10 is a paying member').to.deep.equal(['paid', 'free']);
    const snapshot = async () => ({
      lines: await sql('select id, partner, membership_id, state, date_from::text, date_to::text, date_cancel::text from membership_membership_line order by id'),
      partners: await sql('select id, membership_state, membership_start::text, membership_stop::text, membership_cancel::text from res_partner order by id'),
    });
    // The sidecar's first full run back-fills every partner whose spend earns a tier.
    expect((await sidecar.hook('job', { job: 'membership', uid: 2 })).body).to.deep.include({ state: 'done' });
    const before = await snapshot();
    const sameAsBefore = async (when: string) => {
      const after = await snapshot();
      const changed = (k: 'lines' | 'partners') => after[k].filter((r, i) => JSON.stringify(r) !== JSON.stringify(before[k][i]));
      expect({ lines: changed('lines'), partners: changed('partners') }, when).to.deep.equal({ lines: [], partners: [] });
    };
    const [membershipCron] = await odoo.call<Array<{ id: number }>>('ir.cron', 'search_read', [[['name', '=', 'Loyalty sidecar: evaluate membership tiers']]], { fields: ['id'] });
    const evaluations: Array<[string, () => Promise<unknown>]> = [
      ['Odoo\'s cron triggering the hourly evaluation', () => odoo.call('ir.cron', 'method_direct_trigger', [[membershipCron.id]])],
      ['the hourly evaluation an hour later', () => runJob(sidecar.running!.ctx, 'membership-changed', { now: new Date(Date.now() + 3_600_000) })],
    ];
    for (const [what, evaluate] of evaluations) {
      expect(await odooShell(database.name, RECOMPUTE_MEMBERSHIP)).to.match(/recomputed \d+ lines, \d+ partners/);
      await sameAsBefore(`after Odoo's recomputation (before ${what})`);
      await evaluate();
      await sameAsBefore(`after ${what}`);
    }
    expect((await sql('select state from sidecar_job_run where job = \'membership-changed\' order by id')).map((r) => r.state)).to.deep.equal(['done', 'done']);
    expect(await tiers()).to.deep.equal(expected);
    expectCleanLog('after the membership recomputations');
  });

  it('uninstalled, it leaves Odoo and the sidecar working: the sidecar\'s columns, keys and tables stay, Odoo loads every model, tier lines are restored', async () => {
    const columns = await sidecarColumns(sidecar.knex);
    const moves = (await sql('select count(*)::int as n from loyalty_point_move'))[0];
    const [module] = await odoo.call<Array<{ id: number }>>('ir.module.module', 'search_read', [[['name', '=', 'loyalty_sidecar_bridge']]], { fields: ['id'] });
    await odoo.call('ir.module.module', 'button_immediate_uninstall', [[module.id]]);
    expect(await sidecarColumns(sidecar.knex)).to.deep.equal(columns);
    expect((await sql('select count(*)::int as n from loyalty_point_move'))[0]).to.deep.equal(moves);
    const models = await odoo.call<Array<{ model: string }>>('ir.model', 'search_read', [[]], { fields: ['model', 'count'] });
    expect(models.map((m) => m.model)).to.not.include.members(['loyalty.point.move']);
    expect(models.map((m) => m.model)).to.not.include('sidecar.job.run');
    expectCleanLog('after uninstalling');
    // The sidecar serves its models from its own description again, and still processes orders (the sweep: no hook now).
    await refreshRegistry(sidecar.running!.ctx);
    expect(await sidecar.call('loyalty.point.move', 'fields_get', [], { attributes: ['type', 'string', 'relation', 'selection', 'required', 'readonly'] })).to.deep.equal(servedBefore);
    const [{ id }] = await odoo.call<Array<{ id: number }>>('pos.order', 'create_from_ui', [[tillOrder(64, [{ product_id: 5, qty: 1, price_unit: 70 }])], false]);
    expect((await sidecar.hook('job', { job: 'points-sweep' })).body.result).to.deep.include({ processed: 1 });
    expect((await sql('select count(*)::int as n from loyalty_point_move where pos_order_id = ?', [id]))[0].n).to.be.greaterThan(0);
    expect(await ledgerBalanced()).to.deep.equal([]);

    // Without the addon Odoo computes the sidecar's tier lines 'none'; the sidecar restores them, opening none.
    await odoo.stop();
    const lines = await sql('select id, partner, membership_id, state from membership_membership_line order by id');
    expect(await odooShell(database.name, RECOMPUTE_MEMBERSHIP)).to.match(/recomputed/);
    expect((await sql('select state from membership_membership_line where member_transaction_amount_total is not null')).map((r) => r.state)).to.include('none');
    await runJob(sidecar.running!.ctx, 'membership-changed', { now: new Date(Date.now() + 2 * 3_600_000) });
    expect(await sql('select id, partner, membership_id, state from membership_membership_line order by id')).to.deep.equal(lines);
    expect((await sql('select membership_state from res_partner where id = 10'))[0], 'the bought Gold decides again').to.deep.equal({ membership_state: 'paid' });
    // A module upgrade without the addon warns of nothing (no registry row without its module).
    const upgraded = await installModules(database.name, 'membership', { update: true });
    expect(odooProblems(upgraded.output), 'odoo-bin -u membership without the addon').to.deep.equal([]);
  });
});

/** Odoo's own recomputation of every membership line's state and every member's state, committed. */
const RECOMPUTE_MEMBERSHIP = `
Line = env['membership.membership_line']
lines = Line.search([])
env.add_to_compute(Line._fields['state'], lines)
Partner = env['res.partner']
partners = Partner.with_context(active_test=False).search([('member_lines', '!=', False)])
env.add_to_compute(Partner._fields['membership_state'], partners)
Partner._cron_update_membership()
env.flush_all()
env.cr.commit()
print('recomputed %d lines, %d partners' % (len(lines), len(partners)))
`;

async function pgValue<T = unknown>(url: string, text: string): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query(text);
    return Object.values(rows[0])[0] as T;
  } finally {
    await c.end();
  }
}

describeOdoo('bridge addon in a real Odoo 17 (addon first)', function () {
  let database: OdooDatabase;
  let odoo: OdooServer | undefined;
  let sidecar: AttachedSidecar | undefined;
  before(async () => {
    database = await freshOdooDatabase();
  });
  after(async () => {
    await odoo?.stop();
    await sidecar?.stop();
    await database?.drop();
  });

  it('installs before the sidecar ever ran: its models read nothing yet; the sidecar then migrates around its columns, and -u changes nothing', async () => {
    const installed = await installModules(database.name, 'loyalty_sidecar_bridge');
    expect(odooProblems(installed.output), 'odoo-bin -i').to.deep.equal([]);
    odoo = await startOdoo(database.name);
    odoo.mark();
    expect(await odoo.call('loyalty.point.move', 'search_read', [[]], { fields: ['kind', 'points'] })).to.deep.equal([]);
    expect(await odoo.call('sidecar.job.run', 'search_count', [[]])).to.equal(0);
    const [card] = await odoo.call<Array<{ point_history_ids: number[] }>>('loyalty.card', 'read', [[17]], { fields: ['point_history_ids'] });
    expect(card.point_history_ids).to.deep.equal([]);
    await odoo.stop();

    sidecar = await AttachedSidecar.start(database.url);
    const columns = await sidecarColumns(sidecar.knex);
    expect(columns.join('\n')).to.contain('pos_order.loyalty_fallback_points jsonb');
    const upgraded = await installModules(database.name, 'loyalty_sidecar_bridge', { update: true });
    expect(odooProblems(upgraded.output), 'odoo-bin -u').to.deep.equal([]);
    expect(await sidecarColumns(sidecar.knex)).to.deep.equal(columns);

    odoo = await startOdoo(database.name);
    odoo.mark();
    const moves = await odoo.call<Array<{ kind: string; points: number }>>('loyalty.point.move', 'search_read', [[['card_id', '=', 17]]], { fields: ['kind', 'points'] });
    expect(moves.map((m) => [m.kind, m.points]), 'the sidecar\'s table, read as soon as it exists').to.deep.equal([['opening', 340]]);
    expect(odooProblems(odoo.log())).to.deep.equal([]);
  });
});

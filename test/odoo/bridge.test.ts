/**
 * The bridge addon (addons-bridge/loyalty_sidecar_bridge) in a real Odoo 17, with the sidecar
 * attached to the same database as another PostgreSQL role than Odoo's (the sidecar connects
 * as a superuser, Odoo as its own role odoo_h): installed after the sidecar migrated the
 * database, upgraded, then the flows the addon exists for, in order, on one Odoo server.
 */
import { expect } from 'chai';
import { Client } from 'pg';
import { refreshRegistry } from '../../src/orm/registry';
import { describeOdoo, freshOdooDatabase, installModules, OdooDatabase, OdooServer, startOdoo } from '../helpers/odoo';
import { AttachedSidecar, configureBridge, odooProblems, odooXmlrpc, sidecarColumns, tillOrder } from '../helpers/bridge';

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
    expect(odoo.log()).to.contain('/hooks/pos-coupons answered 200');
    const [{ id }] = await odoo.call<Array<{ id: number }>>('pos.order', 'create_from_ui', [[tillOrder(64, [{ product_id: 5, qty: 2, price_unit: 70 }])], false]);
    // The automation's hook has been answered before Odoo answered create_from_ui.
    const moves = await odoo.call<Array<{ kind: string; points: number; card_id: [number, string] }>>('loyalty.point.move', 'search_read', [[['pos_order_id', '=', id]]], { fields: ['kind', 'points', 'card_id'] });
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
  });
});

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

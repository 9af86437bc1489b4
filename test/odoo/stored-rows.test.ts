/**
 * Issue 18, stored rows: the same POS order sent to a real Odoo 17's create_from_ui and to the
 * sidecar's, on one database, leaves the same pos_order, pos_order_line, pos_payment and
 * line-tax rows, column by column (ids, names, references, tokens and timestamps aside): the
 * lines' costs and every stored computed column included, so Odoo's margins are right for the
 * orders the sidecar writes.
 */
import { expect } from 'chai';
import { Client } from 'pg';
import { loadConfig } from '../../src/config';
import { startSidecar, RunningSidecar } from '../../src/server';
import { describeOdoo, freshOdooDatabase, OdooDatabase, OdooServer, startOdoo } from '../helpers/odoo';
import { executeKw, Server } from './field-diff';

/** Columns that name or date one order and so differ between any two orders. */
const OWN = new Set(['id', 'name', 'pos_reference', 'sequence_number', 'access_token', 'ticket_code', 'uuid', 'order_id', 'pos_order_id',
  'pos_order_line_id', 'create_date', 'write_date', 'partner_id', 'code', 'source_pos_order_id']);

type Row = Record<string, unknown>;

function uiOrder(seq: number, lines: Row[], extra: Row = {}): { id: string; to_invoice: boolean; data: Row } {
  const total = lines.reduce((s, l) => s + Number(l.price_subtotal_incl), 0);
  const untaxed = lines.reduce((s, l) => s + Number(l.price_subtotal), 0);
  return {
    id: `00004-001-0${seq}`, to_invoice: false,
    data: {
      name: `Order 00004-001-0${seq}`, amount_paid: total, amount_total: total, amount_tax: Math.round((total - untaxed) * 100) / 100, amount_return: 0,
      lines: lines.map((l) => [0, 0, l]), statement_ids: [[0, 0, { name: '2026-11-22 10:00:00', payment_method_id: 2, amount: total }]],
      pos_session_id: 4, pricelist_id: false, partner_id: 64, user_id: 2, uid: `00004-001-0${seq}`, sequence_number: seq,
      date_order: '2026-11-22 10:00:00', fiscal_position_id: false, server_id: false, to_invoice: false, is_tipped: false, tip_amount: 0,
      access_token: `token-${seq}`, last_order_preparation_change: '{}', ticket_code: `tc${seq}`, ...extra,
    },
  };
}

const ORDERS: Record<string, Row[]> = {
  'consumable and service lines with taxes': [
    { qty: 2, price_unit: 70, price_subtotal: 140, price_subtotal_incl: 161, discount: 0, product_id: 5, tax_ids: [[6, false, [1]]], full_product_name: 'line', price_extra: 0 },
    { qty: 1, price_unit: 1000, price_subtotal: 1000, price_subtotal_incl: 1150, discount: 0, product_id: 35, tax_ids: [[6, false, [1]]], full_product_name: 'desk', price_extra: 0 },
  ],
  'a storable product, a discount and a line sent without optional keys': [
    { qty: 1, price_unit: 300, price_subtotal: 270, price_subtotal_incl: 310.5, discount: 10, product_id: 24, tax_ids: [[6, false, [1]]], full_product_name: 'chair' },
    { qty: 3, price_unit: 20, price_subtotal: 60, price_subtotal_incl: 60, product_id: 5, tax_ids: [[6, false, []]], full_product_name: 'plain' },
  ],
};

describeOdoo('real Odoo 17 and the sidecar write the same POS order rows', function () {
  let database: OdooDatabase;
  let sidecar: RunningSidecar;
  let odoo: OdooServer;
  let pg: Client;
  const admin = { login: 'admin', password: 'admin' };
  let seq = 700;

  before(async () => {
    database = await freshOdooDatabase();
    sidecar = await startSidecar({ ...loadConfig({}), databaseUrl: database.url, odooDb: database.name, port: 0, host: '127.0.0.1', logLevel: 'silent', jobsEnabled: false });
    odoo = await startOdoo(database.name);
    pg = new Client({ connectionString: database.url });
    await pg.connect();
  });
  after(async () => {
    await pg?.end();
    await odoo?.stop();
    await sidecar?.close();
    await database?.drop();
  });

  const rows = async (table: string, key: string, id: number) => (await pg.query(`select * from ${table} where ${key} = $1 order by id`, [id])).rows as Row[];
  const taxes = async (orderId: number) =>
    (await pg.query(`select l.product_id, r.account_tax_id from account_tax_pos_order_line_rel r join pos_order_line l on l.id = r.pos_order_line_id
                      where l.order_id = $1 order by l.id, r.account_tax_id`, [orderId])).rows as Row[];

  function differences(table: string, theirs: Row[], ours: Row[]): string[] {
    const out: string[] = [];
    if (theirs.length !== ours.length) out.push(`${table}: odoo wrote ${theirs.length} rows, the sidecar ${ours.length}`);
    theirs.forEach((t, i) => {
      for (const column of Object.keys(t)) {
        if (OWN.has(column)) continue;
        const [a, b] = [JSON.stringify(t[column]), JSON.stringify(ours[i]?.[column])];
        if (a !== b) out.push(`${table}[${i}].${column}: odoo=${a} sidecar=${b}`);
      }
    });
    return out;
  }

  for (const [title, lines] of Object.entries(ORDERS)) {
    it(`${title}: the same pos_order, pos_order_line, pos_payment and tax rows`, async () => {
      const viaOdoo = await executeKw<Array<{ id: number }>>({ url: odoo.url, db: database.name } as Server, admin, 'pos.order', 'create_from_ui', [[uiOrder(++seq, lines)], false]);
      const viaSidecar = await executeKw<Array<{ id: number }>>({ url: sidecar.url, db: database.name } as Server, admin, 'pos.order', 'create_from_ui', [[uiOrder(++seq, lines)], false]);
      const [a, b] = [viaOdoo[0].id, viaSidecar[0].id];
      const diffs = [
        ...differences('pos_order', await rows('pos_order', 'id', a), await rows('pos_order', 'id', b)),
        ...differences('pos_order_line', await rows('pos_order_line', 'order_id', a), await rows('pos_order_line', 'order_id', b)),
        ...differences('pos_payment', await rows('pos_payment', 'pos_order_id', a), await rows('pos_payment', 'pos_order_id', b)),
        ...differences('account_tax_pos_order_line_rel', await taxes(a), await taxes(b)),
      ];
      expect(diffs).to.deep.equal([]);
      // and the costs are there: Odoo's margin of the sidecar's order is the one of its own
      const margins = await executeKw<Row[]>({ url: odoo.url, db: database.name }, admin, 'pos.order', 'read', [[a, b], ['margin', 'is_total_cost_computed']]);
      expect(margins[1]).to.deep.include({ margin: margins[0].margin, is_total_cost_computed: margins[0].is_total_cost_computed });
    });
  }

  it('a loyalty card the till creates at confirm_coupon_programs: the same loyalty_card row (code, partner and order aside)', async () => {
    const lines = ORDERS['consumable and service lines with taxes'].slice(0, 1);
    const cards: Row[][] = [];
    // two partners without cards, one per server, the same order and the same new card of the Loyalty Program (6):
    // the till sends the points the program gives (10 per $), which the sidecar computes itself
    for (const [url, partner] of [[odoo.url, 7], [sidecar.url, 8]] as const) {
      const server = { url, db: database.name };
      const [order] = await executeKw<Array<{ id: number }>>(server, admin, 'pos.order', 'create_from_ui', [[uiOrder(++seq, lines, { partner_id: partner })], false]);
      await executeKw(server, admin, 'pos.order', 'confirm_coupon_programs', [[order.id], { '-1': { points: 1610, program_id: 6, coupon_id: -1, barcode: `BC${seq}`, partner_id: partner } }]);
      cards.push((await pg.query(`select * from loyalty_card where partner_id = $1 and program_id = 6 order by id`, [partner])).rows);
    }
    expect(cards[0]).to.have.length(1);
    expect(differences('loyalty_card', cards[0], cards[1])).to.deep.equal([]);
  });
});

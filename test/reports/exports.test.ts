import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { basicAuth, cheapPassword } from '../helpers/ledger';
import { runJob } from '../../src/jobs/scheduler';
import { buildFixture, DAY, Fixture } from './fixture';

describe('reports: REST exports GET /api/v1/reports/{name}', function () {
  this.timeout(60_000);
  let sidecar: TestSidecar;
  let fx: Fixture;
  const get = (path: string, login = 'admin') => fetch(`${sidecar.url}/api/v1/reports/${path}`, { headers: { authorization: basicAuth(login, `${login}-pw`) } });

  before(async () => {
    sidecar = await startTestSidecar('odoo17');
    for (const login of ['admin', 'cashier', 'portal']) await cheapPassword(sidecar.ctx.db.knex, login, `${login}-pw`);
    fx = await buildFixture(sidecar.ctx);
    await runJob(sidecar.ctx, 'report-refresh');
  });
  after(async () => sidecar?.close());

  it('csv: Odoo\'s export columns (a many2one as its name and /.id), the day\'s rows in id order', async () => {
    const res = await get(`promotion-result-details?from=${DAY}&to=${DAY}&format=csv`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/csv/);
    expect(res.headers.get('content-disposition')).to.equal(`attachment; filename="promotion-result-details_${DAY}_${DAY}.csv"`);
    const [header, ...lines] = (await res.text()).trimEnd().split('\r\n');
    const cols = header.split(',');
    expect(cols.slice(0, 5)).to.deep.equal(['id', 'date', 'order_id', 'order_id/.id', 'line_id']);
    const at = (line: string, col: string) => line.split(',')[cols.indexOf(col)];
    expect(lines).to.have.length(6);
    const ids = lines.map((l) => Number(at(l, 'id')));
    expect(ids).to.deep.equal([...ids].sort((a, b) => a - b));
    const b15 = lines.find((l) => Number(at(l, 'line_id/.id')) === fx.lines.B15)!;
    expect([at(b15, 'order_id/.id'), at(b15, 'program_id/.id'), at(b15, 'discount_amount'), at(b15, 'points_won'), at(b15, 'points_spent')])
      .to.deep.equal([String(fx.orders.B), '15', '23', '1996', '400']);
    expect(at(b15, 'program_id')).to.equal('Retail Club');
    const c = lines.find((l) => Number(at(l, 'order_id/.id')) === fx.orders.C)!;
    expect([at(c, 'line_id'), at(c, 'line_id/.id'), at(c, 'reward_id'), at(c, 'points_won')]).to.deep.equal(['', '', '', '80.5']);
    // The sum of the discount column, by hand: 16.10 + 50 + 23 + 0 − 8.05 + 8.05.
    expect(lines.reduce((s, l) => s + Number(at(l, 'discount_amount')), 0)).to.be.closeTo(89.1, 1e-9);
    // A range of days is read a day at a time: the same rows over two days, one of them empty.
    const twoDays = (await (await get(`promotion-result-details?from=2026-03-09&to=${DAY}&format=json`)).json()) as Array<{ id: number }>;
    expect(twoDays.map((r) => r.id).sort()).to.deep.equal(lines.map((l) => Number(at(l, 'id'))).sort());
  });

  it('json: the rows as search_read answers them; the range applies to pos_order_first\'s datetime as whole days', async () => {
    const res = await get(`pos-order-first?from=${DAY}&to=${DAY}&format=json`);
    expect(res.status).to.equal(200);
    const rows = (await res.json()) as Array<Record<string, unknown>>;
    expect(rows.map((r) => [r.id, (r.order_id as [number, string])[0], r.amount_total])).to.deep.equal([
      [63, fx.orders.F, 72.45], [64, fx.orders.A, 144.9], [65, fx.orders.B, 1995.85], [66, fx.orders.C, 80.5],
    ]);
    expect((rows[3].referrer_id as [number, string])[0]).to.equal(72);
    const none = (await (await get(`pos-order-first?from=2026-03-11&to=2026-03-11&format=json`)).json()) as unknown[];
    expect(none).to.deep.equal([]);
  });

  it('csv: text a spreadsheet would run as a formula gets a leading quote, as in Odoo\'s export; numbers stay numbers', async () => {
    const knex = sidecar.ctx.db.knex;
    const before = await knex('res_partner').where({ id: 63 }).first('name', 'complete_name');
    const hostile = '=HYPERLINK("http://x.test","click")';
    await knex('res_partner').where({ id: 63 }).update({ name: hostile, complete_name: hostile });
    try {
      const res = await get(`pos-order-first?from=${DAY}&to=${DAY}&format=csv`);
      const text = await res.text();
      expect(text).to.include(`,"'=HYPERLINK(""http://x.test"",""click"")",63,`);
      expect(text).to.not.match(/(^|,)"?=HYPERLINK/m);
    } finally {
      await knex('res_partner').where({ id: 63 }).update(before);
    }
  });

  it('xlsx (read back with exceljs): a company-1 cashier gets company 1\'s rows only', async () => {
    const res = await get(`promotion-result?from=${DAY}&to=${DAY}&format=xlsx`, 'cashier');
    expect(res.status).to.equal(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('promotion-result')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const col = (name: string) => header.indexOf(name) + 1;
    const rows = [];
    for (let r = 2; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      rows.push([row.getCell(col('program_id/.id')).value, row.getCell(col('company_id/.id')).value, row.getCell(col('order_count')).value,
        row.getCell(col('revenue')).value, row.getCell(col('discount_amount')).value, row.getCell(col('points_issued')).value]);
    }
    expect(rows.sort()).to.deep.equal([[15, 1, 2, 2148.8, 31.05, 2149], [8, 1, 1, 1995.85, 50, 0]].sort());
    expect(sheet.getRow(2).getCell(col('date')).value).to.equal(DAY);
  });

  it('bad parameters: 400 with a clear message; unknown report 404; portal 403; no credentials 401', async () => {
    for (const [query, message] of [
      ['format=pdf', /format must be one of csv, json, xlsx/],
      ['from=2026-02-30', /from must be a date YYYY-MM-DD/],
      ['to=yesterday', /to must be a date/],
      ['from=2026-03-11&to=2026-03-10', /from must not be after to/],
      ['group_by=program_id', /Unknown parameter group_by/],
      ['from=2026-03-01&from=2026-03-02', /from must be a date/],
    ] as Array<[string, RegExp]>) {
      const res = await get(`promotion-result?${query}`);
      expect(res.status, query).to.equal(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.message, query).to.match(message);
    }
    const unknown = await get('vendor-secrets');
    expect(unknown.status).to.equal(404);
    const portal = await get('promotion-result?format=csv', 'portal');
    expect(portal.status).to.equal(403);
    expect(((await portal.json()) as { error: { code: string } }).error.code).to.equal('access_error');
    expect((await fetch(`${sidecar.url}/api/v1/reports/promotion-result`)).status).to.equal(401);
  });
});

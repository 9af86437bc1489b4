import { expect } from 'chai';
import { harness, Harness } from './harness';
import { groupLabel, weekNumber } from '../../src/orm/read_group_labels';

/** read_group beyond the recorded corpus: weeks, quarters, time zones, paging, ordering by aggregates, empty groups. */
describe('orm read_group', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(() => h?.close());
  const rg = (model: string, args: unknown[], kwargs: Record<string, unknown> = {}) =>
    h.call(model, 'read_group', args, kwargs) as Promise<Array<Record<string, unknown>>>;

  it('labels dates as babel does, per language', () => {
    const d = new Date(Date.UTC(2026, 9, 8, 15));
    expect(groupLabel('en_US', 'quarter', d)).to.equal('Q4 2026');
    expect(groupLabel('fr_FR', 'quarter', d)).to.equal('T4 2026');
    expect(groupLabel('en_US', 'day', d)).to.equal('08 Oct 2026');
    expect(groupLabel('fr_FR', 'day', d)).to.equal('08 oct. 2026');
    expect(groupLabel('en_US', 'hour', d)).to.equal('03:00 08 Oct');
    // en_US weeks start on Sunday and week 1 holds 1 January; fr_FR counts ISO weeks
    expect(weekNumber('en_US', new Date(Date.UTC(2026, 0, 3)))).to.deep.equal([2026, 1]);
    expect(weekNumber('en_US', new Date(Date.UTC(2026, 0, 4)))).to.deep.equal([2026, 2]);
    expect(weekNumber('fr_FR', new Date(Date.UTC(2026, 0, 1)))).to.deep.equal([2026, 1]);
    expect(weekNumber('fr_FR', new Date(Date.UTC(2027, 0, 1)))).to.deep.equal([2026, 53]);
  });

  it('groups by week starting on the language\'s first day, counting every order once', async () => {
    const groups = await rg('pos.order', [[], [], ['date_order:week']], { lazy: false });
    const total = Number((await h.rows<{ n: string }>(`select count(*) as n from pos_order`))[0].n);
    expect(groups.reduce((s, g) => s + (g.__count as number), 0)).to.equal(total);
    for (const g of groups) {
      const range = (g.__range as Record<string, { from: string; to: string }>)['date_order:week'];
      expect(new Date(range.from + 'Z').getUTCDay(), 'en_US weeks start on Sunday').to.equal(0);
      expect(g['date_order:week']).to.match(/^W\d{1,2} 2026$/);
      const inside = Number((await h.rows<{ n: string }>(`select count(*) as n from pos_order where date_order >= ? and date_order < ?`, [range.from, range.to]))[0].n);
      expect(inside).to.equal(g.__count);
    }
  });

  it('shifts datetime groups to the context time zone and gives the range back in UTC', async () => {
    const utc = await rg('pos.order', [[], [], ['date_order:day']], { lazy: false });
    const tokyo = await rg('pos.order', [[], [], ['date_order:day']], { lazy: false, context: { tz: 'Asia/Tokyo' } });
    const first = (tokyo[0].__range as Record<string, { from: string }>)['date_order:day'].from;
    expect(first.endsWith('15:00:00'), 'Tokyo midnight is 15:00 UTC').to.equal(true);
    const sum = (gs: Array<Record<string, unknown>>) => gs.reduce((s, g) => s + (g.__count as number), 0);
    expect(sum(tokyo)).to.equal(sum(utc));
  });

  it('fills empty date groups with context fill_temporal', async () => {
    const groups = await rg('pos.order', [[], ['amount_total:sum'], ['date_order:month']], { context: { fill_temporal: { fill_from: '2026-06-15', min_groups: 2 } } });
    expect(groups.map((g) => [g['date_order:month'], g.date_order_count])).to.deep.equal([
      ['June 2026', 0], ['July 2026', 0], ['August 2026', 0], ['September 2026', 4], ['October 2026', 6], ['November 2026', 18],
    ]);
    expect(groups[0].amount_total).to.equal(false);
    expect(groups[0].__domain).to.deep.equal(['&', ['date_order', '>=', '2026-06-01 00:00:00'], ['date_order', '<', '2026-07-01 00:00:00']]);
  });

  it('orders by an aggregate, pages with limit and offset', async () => {
    const all = await rg('loyalty.card', [[], ['points:sum'], ['program_id']], { orderby: 'points desc' });
    const sums = all.map((g) => Number(g.points));
    expect(sums).to.deep.equal([...sums].sort((a, b) => b - a));
    const page = await rg('loyalty.card', [[], ['points:sum'], ['program_id']], { orderby: 'points desc', limit: 2, offset: 1 });
    expect(page.map((g) => g.program_id)).to.deep.equal(all.slice(1, 3).map((g) => g.program_id));
  });

  it('gives the empty group of a many2many and of a many2one, with their domains', async () => {
    const tags = await rg('product.template', [[['sale_ok', '=', true]], [], ['product_tag_ids']]);
    const none = tags.find((g) => g.product_tag_ids === false)!;
    expect(none.__domain).to.deep.equal(['&', ['sale_ok', '=', true], ['product_tag_ids', 'not any', []]]);
    const partners = await rg('loyalty.card', [[['program_id', '=', 1]], [], ['partner_id']]);
    const anonymous = partners.find((g) => g.partner_id === false)!;
    expect(anonymous.__domain).to.deep.equal(['&', ['program_id', '=', 1], ['partner_id', '=', false]]);
    const n = Number((await h.rows<{ n: string }>(`select count(*) as n from loyalty_card where program_id = 1 and partner_id is null`))[0].n);
    expect(anonymous.partner_id_count).to.equal(n);
  });

  it('without groupby answers one group with __count; refuses unknown fields and bad specs as Odoo does', async () => {
    const [only] = await rg('loyalty.program', [[], ['max_usage:max'], []]);
    expect(only.__count).to.equal(19);
    expect(only.__domain).to.deep.equal([]);
    const err = await h.fails('loyalty.card', 'read_group', [[], [], ['nope']]);
    expect(err.message).to.equal("Invalid field 'nope' on model 'loyalty.card'");
    const gran = await h.fails('loyalty.card', 'read_group', [[], [], ['points:month']]);
    expect(gran.message).to.equal("Granularity set on a no-datetime field or property: 'points:month'");
    const order = await h.fails('loyalty.card', 'read_group', [[], [], ['program_id']], { orderby: 'code; drop table x' });
    expect(order.faultCode).to.equal(1);
  });
});

describe('orm read_group on inherited fields', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(() => h?.close());

  it('groups product.product by its template\'s category (joined through _inherits)', async () => {
    const groups = (await h.call('product.product', 'read_group', [[], ['list_price:max'], ['categ_id']])) as Array<Record<string, unknown>>;
    const expected = await h.rows<{ categ_id: number; n: string }>(
      `select t.categ_id, count(*) as n from product_product p join product_template t on t.id = p.product_tmpl_id where p.active group by 1 order by 1`);
    expect(groups.map((g) => [(g.categ_id as [number, string])[0], g.categ_id_count as number]).sort((a, b) => a[0] - b[0])).to.deep.equal(
      expected.map((r) => [r.categ_id, Number(r.n)]));
  });
});

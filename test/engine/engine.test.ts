/**
 * The engine on hand-built catalogues, with numbers worked out from sale_loyalty's rules
 * (every program type, rule mode and reward kind). Scenarios follow Odoo's own
 * addons/sale_loyalty/tests (test_program_numbers.py, test_program_rules.py) in spirit: one
 * order, one program, the expected lines and totals computed by hand in the comments.
 *
 * POS: pos_loyalty (static/src/overrides/models/loyalty.js) computes in the browser. These
 * tests pin sale_loyalty's server-side numbers, which the sidecar serves to every channel
 * (OrderContext.channel only selects sale_ok or pos_ok programs). Differences of the POS code
 * that the sidecar does not reproduce:
 *   - points per money spent: the POS rounds rule_amount × paid half-up to 0.01
 *     (roundPrecision); sale_loyalty rounds DOWN (float_round 'DOWN'), as here;
 *   - the POS corrects a program's points for its own free-product lines whose product the
 *     rule counts (_getPointsCorrection); sale_loyalty counts quantities on non-reward lines
 *     only and free lines weigh 0 in money, as here;
 *   - the POS recomputes after every change and appends claimed reward lines; sale_loyalty
 *     replays claims on reset lines (the reuse quirk described in update.ts).
 */
import { expect } from 'chai';
import { preview } from '../../src/engine/flow';
import { EngineError } from '../../src/engine/messages';
import { settleOrder } from '../../src/engine/settle';
import { catalog, ctx, line, only, program } from './build';

const rewardLines = (r: ReturnType<typeof preview>) => r.lines.filter((l) => l.is_reward_line);

describe('engine: programs, rules and rewards with hand-worked numbers', () => {
  it('promotion, 10% on the order above a minimum amount (tax split per group)', () => {
    const p = program(1, { programType: 'promotion' }, [{ minimumAmount: 100 }], [{ discount: 10 }]);
    const cat = catalog([p]);
    // Desk 100 + 15% = 115 ≥ 100: 10% of 115 = 11.50 → one line of -10.00 with tax 15%.
    const r = preview(cat, ctx(), { lines: [line(1, 1)], codes: [], claims: [{ rewardId: 11, couponId: null, productId: null }] });
    expect(rewardLines(r).map((l) => [l.price_unit, l.tax_ids, l.points_cost])).to.deep.equal([[-10, [1], 1]]);
    expect([r.amount_untaxed, r.amount_tax, r.amount_total]).to.deep.equal([90, 13.5, 103.5]);
    // Chair 57.50 is under the minimum: nothing to claim.
    const small = preview(cat, ctx(), { lines: [line(2, 1)], codes: [], claims: [] });
    expect(small.claimable).to.deep.equal([]);
  });

  it('promotion, 100% on the cheapest line with a unit rule (minimum quantity 3)', () => {
    const p = program(2, { programType: 'promotion' }, [{ rewardPointMode: 'unit', minimumQty: 3 }], [{ discount: 100, discountApplicability: 'cheapest', requiredPoints: 3 }]);
    // 1 desk + 1 chair + 2 pens = 4 units → 4 points; cheapest = pen: one unit, 2.00 (+15%).
    const r = preview(catalog([p]), ctx(), { lines: [line(1, 1), line(2, 1), line(4, 2)], codes: [], claims: [{ rewardId: 21, couponId: null, productId: null }] });
    expect(rewardLines(r).map((l) => [l.price_unit, l.tax_ids, l.points_cost])).to.deep.equal([[-2, [1], 3]]);
    expect(r.points).to.deep.equal([{ program_id: 2, coupon_id: false, won: 4, spent: 3, balance_before: 0, balance_after: 1 }]);
    expect(r.amount_total).to.equal(174.8);
  });

  it('buy X get Y: a free product per 2 units, at list price with discount 100', () => {
    const p = program(3, { programType: 'buy_x_get_y' }, [{ rewardPointMode: 'unit', minimumQty: 2, products: only(2) }], [{ rewardType: 'product', rewardProductIds: [4], requiredPoints: 2 }]);
    // 4 chairs → 4 points → 2 pens free, costing 4 points; totals unchanged (230).
    const r = preview(catalog([p]), ctx(), { lines: [line(2, 4)], codes: [], claims: [{ rewardId: 31, couponId: null, productId: null }] });
    expect(rewardLines(r).map((l) => [l.product_id, l.qty, l.price_unit, l.discount, l.points_cost])).to.deep.equal([[4, 2, 2, 100, 4]]);
    expect(r.amount_total).to.equal(230);
  });

  it('loyalty card, money points and a per-point discount rounded down to whole rewards', () => {
    const p = program(4, { programType: 'loyalty' }, [{ rewardPointMode: 'money', rewardPointAmount: 1 }], [{ discountMode: 'per_point', discount: 0.05, requiredPoints: 100 }]);
    const card = { id: 500, programId: 4, partnerId: 10, points: 300, expirationDate: null, code: 'L-1' };
    // Usable: 300 + 115 won = 415 → 400 points → $20; line -20 × 100/115 = -17.39 (15%); cost 400.
    const r = preview(catalog([p], [card]), ctx(), { lines: [line(1, 1)], codes: [], claims: [{ rewardId: 41, couponId: 500, productId: null }] });
    expect(rewardLines(r).map((l) => [l.price_unit, l.points_cost])).to.deep.equal([[-17.39, 400]]);
    expect([r.amount_untaxed, r.amount_tax, r.amount_total]).to.deep.equal([82.61, 12.39, 95]);
    // Own-type reward lines do not reduce money points: still 115 won.
    expect(r.points).to.deep.equal([{ program_id: 4, coupon_id: 500, won: 115, spent: 400, balance_before: 300, balance_after: 15 }]);
  });

  it('gift card: a code attaches the card, which pays (untaxed line, not rounded to whole rewards)', () => {
    const p = program(5, { programType: 'gift_card' }, [{ rewardPointMode: 'money', rewardPointSplit: true, products: null }], [{ discountMode: 'per_point', discount: 1 }]);
    const card = { id: 600, programId: 5, partnerId: null, points: 50, expirationDate: null, code: 'GC-1' };
    const r = preview(catalog([p], [card]), ctx(), { lines: [line(1, 1)], codes: ['GC-1'], claims: [{ rewardId: 51, couponId: 600, productId: null }] });
    expect(rewardLines(r).map((l) => [l.price_unit, l.tax_ids, l.points_cost])).to.deep.equal([[-50, [], 50]]);
    expect([r.amount_untaxed, r.amount_tax, r.amount_total]).to.deep.equal([50, 15, 65]);
    expect(r.code_results).to.deep.equal([{ code: 'GC-1', ok: true }]);
  });

  it('eWallet: the partner card comes along by itself and pays', () => {
    const p = program(6, { programType: 'ewallet' }, [{ rewardPointMode: 'money', products: only(7), hasProductIds: true }], [{ discountMode: 'per_point', discount: 1 }]);
    const card = { id: 700, programId: 6, partnerId: 10, points: 30, expirationDate: null, code: 'EW-1' };
    const r = preview(catalog([p], [card]), ctx(), { lines: [line(1, 1)], codes: [], claims: [{ rewardId: 61, couponId: 700, productId: null }] });
    expect(rewardLines(r).map((l) => [l.price_unit, l.points_cost])).to.deep.equal([[-30, 30]]);
    expect(r.amount_total).to.equal(85);
  });

  it('price-included and fixed taxes: a percent discount per tax group, fixed taxes left alone', () => {
    const p = program(7, { programType: 'promotion' }, [{}], [{ discount: 10 }]);
    // Mug 11.00 incl (10.00 + 1.00); notebooks 3 × 6.50 = 19.50 + 2.93 + 1.50 fixed.
    // Discountable: 11.00 (tax 4) + 22.43 (tax 1) → lines -1.10 [4] and -1.95 [1].
    const r = preview(catalog([p]), ctx(), { lines: [line(3, 1), line(5, 3)], codes: [], claims: [{ rewardId: 71, couponId: null, productId: null }] });
    expect(rewardLines(r).map((l) => [l.price_unit, l.tax_ids, l.points_cost])).to.deep.equal([[-1.1, [4], 1], [-1.95, [1], 0]]);
    expect([r.amount_untaxed, r.amount_tax, r.amount_total]).to.deep.equal([26.55, 5.04, 31.59]);
  });

  it('promo codes: unknown, not started, usage limit reached, twice', () => {
    const live = program(8, { programType: 'promo_code' }, [{ mode: 'with_code', code: 'SAVE5' }], [{ discountMode: 'per_order', discount: 5 }]);
    const used = program(9, { programType: 'promo_code', limitUsage: true, maxUsage: 1, orderCount: 1 }, [{ mode: 'with_code', code: 'ONCE' }], [{}]);
    const later = program(11, { programType: 'promo_code', dateFrom: '2026-12-20' }, [{ mode: 'with_code', code: 'XMAS' }], [{}]);
    const r = preview(catalog([live, used, later]), ctx(), {
      lines: [line(1, 1)], codes: ['NOPE', 'ONCE', 'XMAS', 'SAVE5', 'SAVE5'], claims: [{ rewardId: 81, couponId: null, productId: null }],
    });
    expect(r.errors.map((e) => [e.code, e.message])).to.deep.equal([
      ['code_invalid', 'This code is invalid (NOPE).'],
      ['usage_limit_reached', 'This code is expired (ONCE).'],
      ['code_invalid', 'This code is invalid (XMAS).'],
      ['code_already_applied', 'This promo code is already applied.'],
    ]);
    // $5 per order, on 115 incl: -5 × 100/115 = -4.35 untaxed with 15%.
    expect(rewardLines(r).map((l) => l.price_unit)).to.deep.equal([-4.35]);
  });

  it('next-order coupon: the order creates a card with its points, not usable now', () => {
    const p = program(12, { programType: 'next_order_coupons' }, [{ minimumAmount: 100 }], [{ discountMode: 'per_order', discount: 10 }]);
    const r = preview(catalog([p]), ctx(), { lines: [line(1, 1)], codes: [], claims: [] });
    expect(r.points).to.deep.equal([{ program_id: 12, coupon_id: false, won: 1, spent: 0, balance_before: 0, balance_after: 1 }]);
    expect(r.claimable).to.deep.equal([]);
    expect(() => preview(catalog([p]), ctx(), { lines: [line(1, 1)], codes: [], claims: [{ rewardId: 121, couponId: null, productId: null }] }))
      .to.throw(EngineError);
  });

  it('clear wallet: a per-point discount that spends every point', () => {
    const p = program(13, { programType: 'loyalty' }, [{ rewardPointMode: 'unit', rewardPointAmount: 10 }], [{ discountMode: 'per_point', discount: 0.02, requiredPoints: 50, clearWallet: true }]);
    const card = { id: 800, programId: 13, partnerId: 10, points: 990, expirationDate: null, code: 'L-2' };
    // 990 + 10 won = 1000 usable → rounded to 50s: 1000 × 0.02 = $20; costs all 1000 points.
    const r = preview(catalog([p], [card]), ctx(), { lines: [line(1, 1)], codes: [], claims: [{ rewardId: 131, couponId: 800, productId: null }] });
    expect(rewardLines(r).map((l) => [l.price_unit, l.points_cost])).to.deep.equal([[-17.39, 1000]]);
  });

  it('a global discount is replaced only by a better one', () => {
    const a = program(14, { programType: 'promotion' }, [{}], [{ discount: 10 }]);
    const b = program(15, { programType: 'promotion' }, [{}], [{ discount: 20 }]);
    const cat = catalog([a, b]);
    const r = preview(cat, ctx(), { lines: [line(1, 1)], codes: [], claims: [{ rewardId: 141, couponId: null, productId: null }, { rewardId: 151, couponId: null, productId: null }] });
    expect(rewardLines(r).map((l) => [l.reward_id, l.price_unit])).to.deep.equal([[151, -20]]);
    expect(() => preview(cat, ctx(), { lines: [line(1, 1)], codes: [], claims: [{ rewardId: 151, couponId: null, productId: null }, { rewardId: 141, couponId: null, productId: null }] }))
      .to.throw(EngineError);
  });
});

describe('engine: scenarios ported from Odoo 17 sale_loyalty/tests/test_program_numbers.py', () => {
  // test_program_numbers_taxes_and_rules: 20% on the Large Cabinet (320.00) for orders of at
  // least 320.00 tax excluded; Odoo's own expected totals.
  const cabinetPromo = (over: Parameters<typeof program>[1] = { programType: 'promotion' }, rule = {}) =>
    program(30, over, [{ minimumAmount: 320, minimumAmountTaxMode: 'excl', ...rule }], [{ discount: 20, discountApplicability: 'specific', discountProducts: only(20) }]);
  const claim = [{ rewardId: 301, couponId: null, productId: null }];

  it('a price-included 15% keeps the cabinet under 320.00 tax excluded: no reduction', () => {
    const r = preview(catalog([cabinetPromo()]), ctx(), { lines: [line(20, 1, 320, [7])], codes: [], claims: [] });
    expect(r.claimable).to.deep.equal([]);
  });

  it('tax excluded: -64.00 with 15% → 294.40; with 10 drawers 544.40; 8 cabinets 2605.20; capped at 200 → 2994.00', () => {
    const cat = catalog([cabinetPromo()]);
    let r = preview(cat, ctx(), { lines: [line(20, 1)], codes: [], claims: claim });
    expect(rewardLines(r).map((l) => [l.price_unit, l.tax_ids])).to.deep.equal([[-64, [1]]]);
    expect(r.amount_total).to.be.closeTo(294.4, 0.001);
    r = preview(cat, ctx(), { lines: [line(20, 1), line(21, 10)], codes: [], claims: claim });
    expect(r.amount_total).to.be.closeTo(544.4, 0.001);
    r = preview(cat, ctx(), { lines: [line(20, 8), line(21, 10)], codes: [], claims: claim });
    expect(r.amount_total).to.be.closeTo(2605.2, 0.001);
    const capped = catalog([{ ...cabinetPromo(), rewards: [{ ...cabinetPromo().rewards[0], discountMaxAmount: 200 }] }]);
    r = preview(capped, ctx(), { lines: [line(20, 8), line(21, 10)], codes: [], claims: claim });
    expect(rewardLines(r).map((l) => l.price_unit)).to.deep.equal([-173.91]);
    expect([r.amount_total, r.amount_untaxed]).to.deep.equal([2994, 2636.09]);
  });

  it('the same program behind the code 20pc applies only once the code is entered', () => {
    const coded = cabinetPromo({ programType: 'promotion', trigger: 'with_code' }, { mode: 'with_code', code: '20pc' });
    expect(preview(catalog([coded]), ctx(), { lines: [line(20, 1)], codes: [], claims: [] }).claimable).to.deep.equal([]);
    const r = preview(catalog([coded]), ctx(), { lines: [line(20, 1)], codes: ['20pc'], claims: claim });
    expect(r.amount_total).to.be.closeTo(294.4, 0.001);
  });
});

describe('engine: settling an order the till priced (for the ledger)', () => {
  const till = (productId: number, qty: number, rewardId: number | null = null, couponId: number | null = null, priceUnit?: number) =>
    ({ ...line(productId, qty, priceUnit), rewardId, couponId });

  it('replays the till reward lines: points won per card and the engine cost of each reward', () => {
    const p = program(2, { programType: 'promotion' }, [{ rewardPointMode: 'unit', minimumQty: 3 }], [{ discount: 100, discountApplicability: 'cheapest', requiredPoints: 3 }]);
    // The till priced the free pen at -5 (wrong): the engine's line is -2 and costs 3 points.
    const s = settleOrder(catalog([p]), ctx(), { lines: [till(1, 1), till(2, 1), till(4, 2), till(92, 1, 21, null, -5)], codes: [] });
    expect(s.cards).to.deep.equal([{ programId: 2, cardId: null, won: 4, spent: 3 }]);
    expect([...s.rewardCosts]).to.deep.equal([[21, 3]]);
    expect(s.refused).to.deep.equal([]);
  });

  it('charges an existing card and refuses a claim the order cannot pay', () => {
    const p = program(4, { programType: 'loyalty' }, [{ rewardPointMode: 'money', rewardPointAmount: 1 }], [{ discountMode: 'per_point', discount: 0.05, requiredPoints: 100 }]);
    const card = { id: 500, programId: 4, partnerId: 10, points: 300, expirationDate: null, code: 'L-1' };
    const ok = settleOrder(catalog([p], [card]), ctx(), { lines: [till(1, 1), till(94, 1, 41, 500, -17.39)], codes: [] });
    expect(ok.cards).to.deep.equal([{ programId: 4, cardId: 500, won: 115, spent: 400 }]);
    // Someone else's order (partner 11) cannot spend card 500: refused, nothing spent.
    const other = settleOrder(catalog([p], [card]), ctx(11), { lines: [till(1, 1), till(94, 1, 41, 500, -17.39)], codes: [] });
    expect(other.refused).to.deep.equal([{ rewardId: 41, couponId: 500, productId: null }]);
    expect(other.cards.filter((c) => c.cardId === 500)).to.deep.equal([]);
  });
});

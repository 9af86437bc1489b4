import { Knex } from 'knex';
import { AppContext } from '../context';
import { metrics } from '../metrics/registry';
import { UserError } from '../errors';
import { ExternalOrderRequest } from '../api/schemas';
import { applyOrderPoints } from './apply';
import { computeOrderPoints } from './engine';
import { runOrderProcessedHooks } from './hooks';
import { ProcessResult, SoldOrder } from './types';
import { odooDatetime } from '../ledger/time';
import { lockOrderCards } from './cards';
import { userEnv } from '../orm/access-path';
import { userInfo } from '../orm/user';
import { awardReferrals, referrerOf } from './referral';

export interface ExternalOutcome {
  reference: string;
  processed: boolean;
  result: ProcessResult | null;
}

/**
 * An order from another system (a web shop …), known by its reference: evaluated by the
 * engine as sent (lines, codes, claimed rewards) and applied to the cards once per reference.
 */
export async function processExternalOrder(cr: Knex, req: ExternalOrderRequest, opts: { uid: number; now: Date; app: AppContext }): Promise<ExternalOutcome> {
  // An unknown or own referral code refuses the order before anything is written.
  const referral = await referrerOf(cr, req.referral_code_used, req.partner_id);
  const claimed = await cr.raw(
    `INSERT INTO sidecar_processed_order (external_reference, source, create_uid) VALUES (?, 'external', ?) ON CONFLICT DO NOTHING RETURNING id`,
    [req.reference, opts.uid],
  );
  if (!claimed.rows.length) {
    const prev = await cr('sidecar_processed_order').where({ external_reference: req.reference }).first('result');
    return { reference: req.reference, processed: false, result: prev?.result ?? null };
  }
  const partner = await cr('res_partner').where({ id: req.partner_id }).first('id', 'company_id');
  if (!partner) throw new UserError(`The customer ${req.partner_id} does not exist.`);
  // A customer shared by all companies buys in the user's current company, as a new Odoo order.
  const company = partner.company_id ?? (await userInfo(userEnv(opts.app, cr, opts.uid))).companyId;
  const order: SoldOrder = {
    posOrderId: null,
    reference: req.reference,
    name: req.reference,
    state: 'paid',
    partnerId: req.partner_id,
    companyId: company,
    dateOrder: req.date_order ? (req.date_order.length === 10 ? req.date_order + ' 00:00:00' : req.date_order) : odooDatetime(opts.now),
    codes: req.codes ?? [],
    lines: req.lines.map((l) => ({
      id: null, productId: l.product_id, qty: l.qty, priceUnit: l.price_unit, discount: l.discount ?? 0, taxIds: l.tax_ids ?? null,
      priceSubtotalIncl: 0, isRewardLine: false, rewardId: null, couponId: null, pointsCost: 0, refundedOrderlineId: null,
    })),
  };
  await lockOrderCards(cr, [order], { referrers: referral ? [referral.referrerId] : [] });
  const computed = await computeOrderPoints(cr, opts.app, order, 'sale', (req.rewards ?? []).map((r) => ({
    rewardId: r.reward_id, couponId: r.coupon_id || null, productId: r.product_id || null,
  })));
  const cards = await applyOrderPoints(cr, order, computed.rows, {
    uid: opts.uid, now: opts.now, description: `Order ${req.reference}`, app: opts.app,
  });
  const result: ProcessResult = { kind: 'order', cards };
  await cr('sidecar_processed_order').where({ external_reference: req.reference }).update({ result: JSON.stringify(result) });
  await runOrderProcessedHooks([{ cr, posOrderId: null, reference: req.reference, partnerId: req.partner_id, companyId: company, kind: 'order', cards, uid: opts.uid, now: opts.now }]);
  if (referral) {
    await awardReferrals(cr, [{ posOrderId: null, reference: req.reference, name: req.reference, partnerId: req.partner_id, companyId: company, dateOrder: order.dateOrder, code: referral.code }], opts);
  }
  metrics.ordersProcessed.inc({ source: 'external', kind: 'order' });
  return { reference: req.reference, processed: true, result };
}

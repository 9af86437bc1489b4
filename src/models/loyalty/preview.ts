/**
 * The order preview: validates the request, loads the catalogue, runs the engine. Reads only;
 * shared by RPC (pos.order.loyalty_preview) and REST (POST /api/v1/orders/preview).
 */
import { Env } from '../../orm/env';
import { UserError } from '../../errors';
import { preview, PreviewResult } from '../../engine/flow';
import { EngineError } from '../../engine/messages';
import { ClaimInput, OrderInput, OrderLineInput } from '../../engine/types';
import { defaultTaxes, orderContext } from './context';
import { loadCatalog } from './load';
import { BusinessLimits } from '../../config';
import { isRecordIdValue, outOfBounds } from '../../bounds';
import { checkAccessRights } from '../../orm/access';
import { readableIds, requireRecords } from '../../orm/access-path';
import { previewReferral, ReferralPreview } from '../../orders/referral';

/** The request as it comes over the wire (RPC args[0] or the REST body). */
export interface PreviewRequest {
  partner_id?: number | false | null;
  date_order?: string | false;
  lines: { product_id: number; qty: number; price_unit: number; discount?: number; tax_ids?: number[] }[];
  codes?: string[];
  rewards?: { reward_id: number; coupon_id?: number | false | null; product_id?: number | false | null }[];
  /** 'sale' (default: sale_loyalty's flow, sale_ok programs) or 'pos' (pos_ok programs). */
  channel?: 'sale' | 'pos';
  /** Another customer's referral code: the answer's `referral` says what it would give. */
  referral_code_used?: string | false | null;
}

/** A refused claim: the request was understood, the order cannot take it. */
export class PreviewRefused extends UserError {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

const isInt = isRecordIdValue;
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const m2o = (v: unknown): number | null => (Array.isArray(v) ? (v[0] as number) : v === false || v === null || v === undefined ? null : (v as number));

function parseRequest(raw: unknown, limits: BusinessLimits): { channel: 'sale' | 'pos'; partnerId: number | null; date: string | null; lines: (Omit<OrderLineInput, 'taxIds'> & { taxIds: number[] | null })[]; codes: string[]; claims: ClaimInput[] } {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new UserError('The order must be a dictionary with partner_id and lines.');
  const o = raw as Record<string, unknown>;
  const partnerId = m2o(o.partner_id);
  if (partnerId !== null && !isInt(partnerId)) throw new UserError('partner_id must be a partner id or False.');
  let date: string | null = null;
  if (o.date_order !== undefined && o.date_order !== false && o.date_order !== null) {
    if (typeof o.date_order !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(o.date_order)) throw new UserError('date_order must be a date (YYYY-MM-DD).');
    date = o.date_order.slice(0, 10);
  }
  if (!Array.isArray(o.lines)) throw new UserError('The order needs lines (a list).');
  const lines = o.lines.map((l, i) => {
    const line = l as Record<string, unknown>;
    if (!line || typeof line !== 'object') throw new UserError(`Line ${i + 1} must be a dictionary.`);
    const productId = m2o(line.product_id);
    if (!isInt(productId)) throw new UserError(`Line ${i + 1}: product_id must be a product id.`);
    if (!isNum(line.qty)) throw new UserError(`Line ${i + 1}: qty must be a number.`);
    if (line.qty < 0) throw new UserError(`Line ${i + 1}: the quantity cannot be negative (${line.qty}).`);
    if (!isNum(line.price_unit)) throw new UserError(`Line ${i + 1}: price_unit must be a number.`);
    const beyond = outOfBounds(limits, 'quantity', line.qty) ?? outOfBounds(limits, 'amount', line.price_unit);
    if (beyond) throw new UserError(`Line ${i + 1}: the ${outOfBounds(limits, 'quantity', line.qty) ? 'quantity' : 'price'} ${beyond}.`);
    const discount = line.discount === undefined || line.discount === false ? 0 : line.discount;
    if (!isNum(discount) || discount < 0 || discount > 100) throw new UserError(`Line ${i + 1}: discount must be a percentage between 0 and 100.`);
    let taxIds: number[] | null = null;
    if (line.tax_ids !== undefined && line.tax_ids !== false) {
      if (!Array.isArray(line.tax_ids) || !line.tax_ids.every(isInt)) throw new UserError(`Line ${i + 1}: tax_ids must be a list of tax ids.`);
      taxIds = line.tax_ids as number[];
    }
    return { productId, qty: line.qty, priceUnit: line.price_unit, discount, taxIds };
  });
  const codes = o.codes === undefined || o.codes === false ? [] : o.codes;
  if (!Array.isArray(codes) || !codes.every((c) => typeof c === 'string')) throw new UserError('codes must be a list of strings.');
  const rewards = o.rewards === undefined || o.rewards === false ? [] : o.rewards;
  if (!Array.isArray(rewards)) throw new UserError('rewards must be a list.');
  const claims = rewards.map((r, i) => {
    const c = r as Record<string, unknown>;
    if (!c || typeof c !== 'object' || !isInt(m2o(c.reward_id))) throw new UserError(`Reward ${i + 1}: reward_id must be a reward id.`);
    const couponId = m2o(c.coupon_id);
    const productId = m2o(c.product_id);
    if (couponId !== null && !isInt(couponId)) throw new UserError(`Reward ${i + 1}: coupon_id must be a card id or False.`);
    if (productId !== null && !isInt(productId)) throw new UserError(`Reward ${i + 1}: product_id must be a product id or False.`);
    return { rewardId: m2o(c.reward_id)!, couponId, productId };
  });
  const channel = o.channel === undefined || o.channel === false ? 'sale' : o.channel;
  if (channel !== 'sale' && channel !== 'pos') throw new UserError("channel must be 'sale' or 'pos'.");
  return { channel, partnerId, date, lines, codes: codes as string[], claims };
}

/** Computes the preview for user `uid` (whose company the order belongs to). Writes nothing. */
export async function loyaltyPreview(env: Env, raw: unknown): Promise<PreviewResult & { referral?: ReferralPreview }> {
  const uid = env.uid;
  const req = parseRequest(raw, env.app.config.limits);
  // As the user: the preview shows programs and cards, so it needs their read rights (the
  // portal and public users have none) and reads only the partner and cards they may read.
  await checkAccessRights(env, 'loyalty.program', 'read');
  await checkAccessRights(env, 'loyalty.card', 'read');
  const world = await loadCatalog(env, {
    uid,
    partnerId: req.partnerId,
    codes: req.codes,
    productIds: req.lines.map((l) => l.productId),
    cardIds: req.claims.map((c) => c.couponId).filter((c): c is number => c !== null),
    today: req.date ?? new Date().toISOString().slice(0, 10),
  });
  const { companyId } = world;
  if (req.partnerId !== null && !world.partnerExists) throw new UserError(`Partner ${req.partnerId} does not exist.`);
  if (req.partnerId !== null) await requireRecords(env, 'res.partner', 'read', [req.partnerId]);
  // A card the user's rules hide is, for this user, no card at all (codes and claims included).
  const readable = await readableIds(env, 'loyalty.card', [...world.catalog.cards.keys()]);
  const catalog = readable.size === world.catalog.cards.size ? world.catalog
    : { ...world.catalog, cards: new Map([...world.catalog.cards].filter(([id]) => readable.has(id))) };
  const lines: OrderLineInput[] = req.lines.map((l, i) => {
    const product = world.existingProducts.has(l.productId) ? catalog.products.get(l.productId) : undefined;
    if (!product) throw new UserError(`Line ${i + 1}: product ${l.productId} does not exist.`);
    const taxIds = l.taxIds ?? defaultTaxes(catalog, product.id, companyId);
    for (const t of taxIds) if (!catalog.taxes.has(t)) throw new UserError(`Line ${i + 1}: tax ${t} does not exist.`);
    return { ...l, taxIds };
  });
  for (const c of req.claims) {
    if (!catalog.rewardsById.has(c.rewardId)) throw new UserError(`Reward ${c.rewardId} does not exist or is not available.`);
    if (c.couponId !== null && !catalog.cards.has(c.couponId)) throw new UserError(`Card ${c.couponId} does not exist.`);
  }
  const input: OrderInput = { lines, codes: req.codes, claims: req.claims };
  try {
    const ctx = orderContext({ date: req.date, companyId, parentCompanyId: world.parentCompanyId, partnerId: req.partnerId, channel: req.channel });
    const result = preview(catalog, ctx, input);
    // Null when the request names no code (previewReferral reads nothing then).
    const referral = await previewReferral(env.cr, (raw as PreviewRequest).referral_code_used, req.partnerId, companyId, req.date ?? new Date().toISOString().slice(0, 19).replace('T', ' '));
    return referral ? { ...result, referral } : result;
  } catch (e) {
    if (e instanceof EngineError) throw new PreviewRefused(e.code, e.message);
    throw e;
  }
}

import { Knex } from 'knex';
import { UserError } from '../errors';
import { log } from '../log';
import { writeLedger } from '../ledger/ledger';
import { addDays, odooDatetime } from '../ledger/time';
import { metrics } from '../metrics/registry';
import { createCards, lockPartnerCards } from './cards';

/**
 * Referral codes at the till and the referral program's award. A customer gives another
 * customer's res_partner.referral_code (src/models/referral-code.ts) on their order
 * (pos_order.referral_code_used); when that customer's first paid order is processed, the
 * referrer's card of each referral program (a loyalty.program with referral_points > 0,
 * migration 0221) gets referral_points through the ledger, once per referred customer and
 * program ever (sidecar_referral_award's key). The earn move names the order, so a refund of
 * it takes the points back as it takes back the order's own (src/orders/refund.ts).
 */

const PAID_STATES = ['paid', 'done', 'invoiced'];

/** What the till or the API sent, trimmed and upper-cased (codes are issued upper-case); null when empty. */
export function normaliseReferralCode(raw: unknown): string | null {
  if (raw === undefined || raw === null || raw === false) return null;
  if (typeof raw !== 'string') throw new UserError('The referral code must be text.');
  const code = raw.trim().toUpperCase();
  return code || null;
}

/**
 * The referrer of a code a customer gives, or a UserError saying why the code cannot be used:
 * no customer on the order, no partner with that code, the customer's own code. Null: no code.
 */
export async function referrerOf(cr: Knex, raw: unknown, partnerId: number | null): Promise<{ code: string; referrerId: number } | null> {
  const code = normaliseReferralCode(raw);
  if (code === null) return null;
  if (partnerId === null) throw new UserError(`The referral code ${code} needs a customer on the order: choose the customer first.`);
  const referrer = (await cr('res_partner').where({ referral_code: code }).first('id'))?.id as number | undefined;
  if (referrer === undefined) throw new UserError(`The referral code ${code} does not exist.`);
  if (referrer === partnerId) throw new UserError(`The referral code ${code} is the customer's own: a customer cannot refer themselves.`);
  return { code, referrerId: referrer };
}

/** A referral program as the award reads it. */
interface ReferralProgram {
  id: number;
  name: string;
  referral_points: number;
  company_id: number | null;
  points_validity_days: number | null;
}

/** The active referral programs of the order's company (or of every company) valid on its day. */
async function referralPrograms(cr: Knex, companyId: number, day: string): Promise<ReferralProgram[]> {
  return (await cr.raw(`
    SELECT id, COALESCE(name->>'en_US', name::text) AS name, referral_points::float8 AS referral_points, company_id, points_validity_days
      FROM loyalty_program
     WHERE active AND referral_points > 0 AND (company_id IS NULL OR company_id = ?)
       AND (date_from IS NULL OR date_from <= ?::date) AND (date_to IS NULL OR date_to >= ?::date)
     ORDER BY id`, [companyId, day, day])).rows;
}

/**
 * Whether the order would be the customer's first paid POS order: no paid order of theirs
 * before it (by date, then id; an external order counts every paid POS order as before it).
 */
async function isFirstOrder(cr: Knex, partnerId: number, posOrderId: number | null, dateOrder: string): Promise<boolean> {
  const before = (await cr.raw(`
    SELECT 1 FROM pos_order o
     WHERE o.partner_id = ? AND o.state = ANY(?) AND o.id IS DISTINCT FROM ?::int
       AND (?::int IS NULL OR (o.date_order, o.id) < (?::timestamp, ?::int)) LIMIT 1`,
  [partnerId, PAID_STATES, posOrderId, posOrderId, dateOrder, posOrderId])).rows;
  return before.length === 0;
}

/** What the referral of an order gives, as the preview shows it (nothing is written). */
export interface ReferralPreview {
  code: string;
  referrer_id: number;
  /** False: the customer ordered before (or was referred already): the code gives nothing. */
  first_order: boolean;
  rewards: Array<{ program_id: number; program_name: string; points: number }>;
}

export async function previewReferral(cr: Knex, raw: unknown, partnerId: number | null, companyId: number, dateOrder: string): Promise<ReferralPreview | null> {
  const found = await referrerOf(cr, raw, partnerId);
  if (!found) return null;
  const programs = await referralPrograms(cr, companyId, dateOrder.slice(0, 10));
  const awarded = new Set((await cr('sidecar_referral_award').where({ referred_partner_id: partnerId }).pluck('program_id')) as number[]);
  const first = await isFirstOrder(cr, partnerId!, null, dateOrder);
  const open = programs.filter((p) => !awarded.has(p.id));
  return {
    code: found.code,
    referrer_id: found.referrerId,
    first_order: first && open.length > 0,
    rewards: first ? open.map((p) => ({ program_id: p.id, program_name: p.name, points: p.referral_points })) : [],
  };
}

/** A processed order that may carry a referral. */
export interface ReferralOrder {
  posOrderId: number | null;
  reference: string | null;
  name: string;
  partnerId: number;
  companyId: number;
  dateOrder: string;
  code: string;
}

/**
 * Gives the referrers of these processed orders their points, in the orders' transaction.
 * An order whose code no longer names another partner (Odoo's own form wrote it unchecked) is
 * logged and gives nothing: the order itself stays processed.
 */
export async function awardReferrals(cr: Knex, orders: ReferralOrder[], ctx: { uid: number | null; now: Date }): Promise<void> {
  for (const order of orders) {
    const found = await referrerOf(cr, order.code, order.partnerId).catch((err: Error) => {
      log.warn('referral code not honoured', { pos_order_id: order.posOrderId, reference: order.reference, error: err.message });
      return null;
    });
    if (!found || !(await isFirstOrder(cr, order.partnerId, order.posOrderId, order.dateOrder))) continue;
    for (const program of await referralPrograms(cr, order.companyId, order.dateOrder.slice(0, 10))) {
      await awardOne(cr, order, found.referrerId, program, ctx);
    }
  }
}

async function awardOne(cr: Knex, order: ReferralOrder, referrerId: number, program: ReferralProgram, ctx: { uid: number | null; now: Date }): Promise<void> {
  // The key is taken first: a concurrent first order of the same customer waits here, then finds it taken.
  const claimed = (await cr.raw(`
    INSERT INTO sidecar_referral_award (referred_partner_id, program_id, referrer_partner_id, code, pos_order_id, reference, points, create_uid, create_date)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING program_id`,
  [order.partnerId, program.id, referrerId, order.code, order.posOrderId, order.reference, program.referral_points, ctx.uid, odooDatetime(ctx.now)])).rows;
  if (!claimed.length) return;
  // One card per referrer and program, as Odoo keeps for loyalty programs: created when missing.
  const existing = await lockPartnerCards(cr, [{ programId: program.id, partnerId: referrerId }]);
  const cardId = existing.get(`${program.id}:${referrerId}`) ?? (await createCards(cr, [{
    programId: program.id, companyId: program.company_id ?? order.companyId, partnerId: referrerId, sourcePosOrderId: null, uid: ctx.uid, now: ctx.now,
  }]))[0];
  const validity = program.points_validity_days;
  await writeLedger(cr, {
    cardId,
    entries: [{ kind: 'earn', points: program.referral_points, expirationDate: validity ? addDays(order.dateOrder, validity) : null }],
    origin: { posOrderId: order.posOrderId, reference: order.reference, reason: `referral of partner ${order.partnerId} (code ${order.code})`, description: `Referral: ${order.name}` },
    uid: ctx.uid,
    now: ctx.now,
    idempotencyKey: `referral:${program.id}:${order.partnerId}`,
  });
  await cr('sidecar_referral_award').where({ referred_partner_id: order.partnerId, program_id: program.id }).update({ card_id: cardId });
  metrics.pointsMoved.inc({ kind: 'earn' }, program.referral_points);
}

import { Knex } from 'knex';
import { keyError, UserError } from '../errors';
import { log } from '../log';
import { odooDatetime } from '../ledger/time';
import { nextSequenceValue } from './ir-sequence';
import { Bounded, DEFAULT_LIMITS, isRecordIdValue, outOfBounds } from '../bounds';
import { BusinessLimits } from '../config';
import { storeLineCosts } from './line-costs';
import { referrerOf } from './referral';

/** One order as the POS frontend sends it to create_from_ui: {id, to_invoice, data: {...}}. */
type UiOrder = { id?: string; data: Record<string, unknown> };
type UiLine = Record<string, unknown>;

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0) || 0);
const idOrNull = (v: unknown): number | null => (isRecordIdValue(v) ? v : null);
/** The till's value converted, or the field's default (null: none) when the till did not send the key. */
const sent = <T>(data: UiLine, key: string, convert: (v: unknown) => T, dflt: T | null): T | null => (key in data ? convert(data[key]) : dflt);

type Limits = BusinessLimits;

/** A number the till sent for `field`: finite and within the business limit of its kind, or a UserError (nothing written). */
function bounded(limits: Limits, kind: Bounded, field: string, v: unknown): number {
  const n = num(v);
  const why = outOfBounds(limits, kind, n);
  if (why) throw new UserError(`${field} ${why}.`);
  return n;
}

/** A record id the till must send: a positive int4, or a UserError. */
function recordId(field: string, v: unknown): number {
  if (!isRecordIdValue(v)) throw new UserError(`${field} must be a record id, not ${JSON.stringify(v) ?? 'nothing'}.`);
  return v;
}
const field = (data: Record<string, unknown>, key: string): unknown => {
  if (!(key in data)) throw keyError(`'${key}'`);
  return data[key];
};

/**
 * pos.order.create_from_ui, Odoo 17's way: each order is created with its lines and
 * payments (or a draft of the same reference rewritten); an order whose reference already
 * exists with the same payments and lines is a resend and is skipped. A paid order is marked
 * paid when its payments cover its total. Returns the ids of the orders written.
 * Points are not applied here: confirm_coupon_programs (or the hook, the sweep) does that, once.
 */
export async function createOrdersFromUi(cr: Knex, uid: number, orders: UiOrder[], draft: boolean, now: Date, limits: Limits = DEFAULT_LIMITS): Promise<number[]> {
  const written: number[] = [];
  for (const order of orders) {
    const data = field(order as unknown as Record<string, unknown>, 'data') as Record<string, unknown>;
    const reference = String(field(data, 'name'));
    let existingDraft: number | null = null;
    if (idOrNull(data.server_id)) {
      existingDraft = (await cr('pos_order').where({ id: data.server_id, state: 'draft' }).first('id'))?.id ?? null;
      if (!existingDraft && draft) continue;
    }
    existingDraft ??= (await cr('pos_order').where({ pos_reference: reference, state: 'draft' }).first('id'))?.id ?? null;
    if (existingDraft) {
      written.push(await writeUiOrder(cr, uid, data, draft, now, existingDraft, limits));
      continue;
    }
    const existing = (await cr('pos_order').where({ pos_reference: reference }).select('id')).map((r: { id: number }) => r.id);
    let resend = false;
    for (const id of existing) if (await isSameOrder(cr, data, id)) resend = true;
    if (resend) {
      log.info('PoS order already exists and is the same as the one sent by the PoS', { reference });
      continue;
    }
    written.push(await writeUiOrder(cr, uid, data, draft, now, null, limits));
  }
  return written;
}

/** Odoo's _is_the_same_order: every payment found (amount, method) and the same (product, price) lines. */
async function isSameOrder(cr: Knex, data: Record<string, unknown>, orderId: number): Promise<boolean> {
  const payments = (await cr('pos_payment').where({ pos_order_id: orderId }).select(cr.raw('amount::float8 AS amount'), 'payment_method_id')) as Array<{ amount: number; payment_method_id: number }>;
  for (const [, , p] of (data.statement_ids as Array<[number, number, UiLine]>) ?? []) {
    if (!payments.some((e) => Math.abs(num(p.amount) - e.amount) < 0.005 && p.payment_method_id === e.payment_method_id)) return false;
  }
  const lines = (await cr('pos_order_line').where({ order_id: orderId }).select('product_id', cr.raw('price_unit::float8 AS price_unit'))) as Array<{ product_id: number; price_unit: number }>;
  const sent = ((data.lines as Array<[number, number, UiLine]>) ?? []).map(([, , l]) => `${l.product_id}:${num(l.price_unit)}`).sort();
  return sent.length === lines.length && sent.join() === lines.map((l) => `${l.product_id}:${l.price_unit}`).sort().join();
}

async function writeUiOrder(cr: Knex, uid: number, data: Record<string, unknown>, draft: boolean, now: Date, existingId: number | null, limits: Limits): Promise<number> {
  const sessionId = recordId('pos_session_id', field(data, 'pos_session_id'));
  const session = (await cr.raw(`
    SELECT s.id, s.state, s.config_id, c.company_id, c.sequence_id, c.sequence_line_id, c.journal_id
      FROM pos_session s JOIN pos_config c ON c.id = s.config_id WHERE s.id = ?`, [sessionId])).rows[0];
  if (!session) throw new UserError(`The point of sale session ${sessionId} does not exist.`);
  if (session.state === 'closed' || session.state === 'closing_control') {
    // Odoo opens a rescue session here; the sidecar leaves that to Odoo.
    throw new UserError(`The session ${sessionId} is closed: the order must be sent to Odoo, which opens a rescue session.`);
  }
  let partnerId = idOrNull(data.partner_id);
  let toInvoice = Boolean(data.to_invoice);
  if (partnerId && !(await cr('res_partner').where({ id: partnerId }).first('id'))) {
    partnerId = null;
    toInvoice = false;
  }
  if (toInvoice && !draft) throw new UserError('Invoicing POS orders is done by Odoo: send this order to Odoo.');
  // Checked before anything of the order is written: an unknown or own code refuses the order.
  const referral = await referrerOf(cr, data.referral_code_used, partnerId);
  const at = odooDatetime(now);
  const values = {
    user_id: idOrNull(data.user_id),
    session_id: sessionId,
    config_id: session.config_id,
    sale_journal: session.journal_id,
    company_id: session.company_id,
    pos_reference: String(data.name),
    sequence_number: bounded(limits, 'quantity', 'sequence_number', data.sequence_number),
    partner_id: partnerId,
    referral_code_used: referral?.code ?? null,
    date_order: String(field(data, 'date_order')).replace('T', ' ').slice(0, 19),
    fiscal_position_id: idOrNull(data.fiscal_position_id),
    pricelist_id: idOrNull(data.pricelist_id),
    amount_total: bounded(limits, 'amount', 'amount_total', field(data, 'amount_total')),
    amount_tax: bounded(limits, 'amount', 'amount_tax', field(data, 'amount_tax')),
    amount_return: bounded(limits, 'amount', 'amount_return', field(data, 'amount_return')),
    amount_paid: 0,
    to_invoice: toInvoice,
    shipping_date: (data.shipping_date as string) || null,
    is_tipped: Boolean(data.is_tipped),
    tip_amount: bounded(limits, 'amount', 'tip_amount', data.tip_amount),
    access_token: (data.access_token as string) ?? '',
    ticket_code: (data.ticket_code as string) ?? '',
    last_order_preparation_change: (data.last_order_preparation_change as string) ?? '{}',
    write_uid: uid,
    write_date: at,
  };
  let orderId: number;
  if (existingId) {
    orderId = existingId;
    await cr('pos_order_line').where({ order_id: orderId }).delete();
    await cr('pos_order').where({ id: orderId }).update(values);
  } else {
    const name = session.sequence_id ? await nextSequenceValue(cr, session.sequence_id, now) : '/';
    [{ id: orderId }] = await cr('pos_order').insert({ ...values, name, state: 'draft', nb_print: 0, currency_rate: 1, create_uid: uid, create_date: at }, ['id']);
  }
  for (const [, , line] of (data.lines as Array<[number, number, UiLine]>) ?? []) {
    await insertUiLine(cr, uid, orderId, session, line, now, limits);
  }
  await cr('pos_payment').where({ pos_order_id: orderId }).delete();
  for (const [, , p] of (data.statement_ids as Array<[number, number, UiLine]>) ?? []) {
    await cr('pos_payment').insert({
      pos_order_id: orderId, session_id: sessionId, company_id: session.company_id, amount: bounded(limits, 'amount', 'payment amount', p.amount),
      payment_date: String(p.name ?? at).replace('T', ' ').slice(0, 19), payment_method_id: recordId('payment_method_id', p.payment_method_id),
      card_type: p.card_type ?? null, cardholder_name: p.cardholder_name ?? null, transaction_id: p.transaction_id ?? null,
      payment_status: p.payment_status ?? null, ticket: p.ticket ?? null, is_change: false,
      create_uid: uid, create_date: at, write_uid: uid, write_date: at,
    });
  }
  if (!draft && Math.abs(values.amount_return) >= 0.005) {
    const cash = (await cr.raw(`
      SELECT m.id FROM pos_payment_method m JOIN pos_config_pos_payment_method_rel r ON r.pos_payment_method_id = m.id
       WHERE r.pos_config_id = ? AND m.is_cash_count ORDER BY m.id LIMIT 1`, [session.config_id])).rows[0];
    if (!cash) throw new UserError('No cash statement found for this session. Unable to record returned cash.');
    await cr('pos_payment').insert({
      pos_order_id: orderId, session_id: sessionId, company_id: session.company_id, amount: -values.amount_return, name: 'return',
      payment_date: at, payment_method_id: cash.id, is_change: true, create_uid: uid, create_date: at, write_uid: uid, write_date: at,
    });
  }
  const paid = (await cr.raw(`
    UPDATE pos_order SET amount_paid = (SELECT COALESCE(SUM(amount), 0) FROM pos_payment WHERE pos_order_id = ?) WHERE id = ?
    RETURNING amount_paid::float8 AS paid, amount_total::float8 AS total, name`, [orderId, orderId])).rows[0];
  if (!draft) {
    // Odoo logs (and keeps the order in draft) when the payments do not cover the total.
    if (Math.abs(paid.total - paid.paid) < 0.005) await cr('pos_order').where({ id: orderId }).update({ state: 'paid' });
    else log.error('Could not fully process the POS Order', { order: paid.name, reason: `Order ${paid.name} is not fully paid.` });
    // _process_saved_order: the lines' costs, stored as Odoo stores them (Odoo's margins read them)
    await storeLineCosts(cr, orderId);
  }
  return orderId;
}

async function insertUiLine(cr: Knex, uid: number, orderId: number, session: { company_id: number; sequence_line_id: number | null }, l: UiLine, now: Date, limits: Limits): Promise<void> {
  const at = odooDatetime(now);
  const name = typeof l.name === 'string' ? l.name : session.sequence_line_id ? await nextSequenceValue(cr, session.sequence_line_id, now) : '/';
  const [{ id }] = await cr('pos_order_line').insert({
    // A value the till did not send is stored as Odoo's create stores it: the field's default, else NULL;
    // a value it sent must be finite and within the business limits (nothing written otherwise).
    order_id: orderId, company_id: session.company_id, name, product_id: recordId('product_id', l.product_id),
    qty: sent(l, 'qty', (v) => bounded(limits, 'quantity', 'qty', v), 1), price_unit: bounded(limits, 'amount', 'price_unit', l.price_unit),
    price_subtotal: bounded(limits, 'amount', 'price_subtotal', l.price_subtotal), price_subtotal_incl: bounded(limits, 'amount', 'price_subtotal_incl', l.price_subtotal_incl),
    discount: sent(l, 'discount', (v) => bounded(limits, 'amount', 'discount', v), 0),
    price_extra: sent(l, 'price_extra', (v) => bounded(limits, 'amount', 'price_extra', v), null), full_product_name: l.full_product_name ?? null, customer_note: l.customer_note ?? null,
    uuid: l.uuid ?? null, refunded_orderline_id: idOrNull(l.refunded_orderline_id), skip_change: sent(l, 'skip_change', Boolean, null),
    is_reward_line: sent(l, 'is_reward_line', Boolean, null), reward_id: idOrNull(l.reward_id),
    // A negative coupon_id is a card the till will create: linked when the order is confirmed.
    coupon_id: idOrNull(l.coupon_id), reward_identifier_code: l.reward_identifier_code ?? null, points_cost: sent(l, 'points_cost', (v) => bounded(limits, 'points', 'points_cost', v), null),
    create_uid: uid, create_date: at, write_uid: uid, write_date: at,
  }, ['id']);
  let taxIds: number[] | null = null;
  const cmd = (l.tax_ids as Array<[number, unknown, number[]]> | undefined)?.find((c) => c[0] === 6);
  if (cmd) taxIds = (Array.isArray(cmd[2]) ? cmd[2] : []).map((t) => recordId('tax_ids', t));
  if (taxIds === null) {
    taxIds = (await cr.raw(`
      SELECT r.tax_id FROM product_product p JOIN product_taxes_rel r ON r.prod_id = p.product_tmpl_id WHERE p.id = ?`, [l.product_id as number])).rows.map((r: { tax_id: number }) => r.tax_id);
  }
  if (taxIds!.length) await cr('account_tax_pos_order_line_rel').insert(taxIds!.map((t) => ({ pos_order_line_id: id, account_tax_id: t })));
}

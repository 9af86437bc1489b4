import { Knex } from 'knex';
import { IsoDate, MemberLineFacts, MembershipState, PartnerFacts, Tier } from '../engine/membership';

/**
 * Reads what the membership functions of src/engine/membership.ts need from Odoo's tables,
 * with the state of the invoice a line points at (account_move, through account_move_line).
 */

const invoiceTables = new WeakMap<object, boolean>();

/**
 * Whether the invoice columns the membership queries read exist: account_move's state,
 * payment_state and reversed_entry_id, account_move_line's move_id. Odoo has them; so has a
 * standalone database (its stubs keep them), but not one created before they did: there every
 * line reads as one without an invoice instead of failing. Asked once per knex instance (keyed
 * by its configuration object, which its transactions share): the schema does not change under
 * a running sidecar.
 */
export async function hasInvoices(cr: Knex | Knex.Transaction): Promise<boolean> {
  const known = invoiceTables.get(cr.client.config);
  if (known !== undefined) return known;
  const row = (await cr.raw(`
    select (select count(*) from pg_attribute where attrelid = to_regclass('account_move') and not attisdropped
               and attname in ('state', 'payment_state', 'reversed_entry_id')) = 3
       and (select count(*) from pg_attribute where attrelid = to_regclass('account_move_line') and not attisdropped
               and attname = 'move_id') = 1 as ok`)).rows[0];
  invoiceTables.set(cr.client.config, row.ok === true);
  return row.ok === true;
}

export interface LineRow extends MemberLineFacts {
  partnerId: number;
  productId: number;
  /** member_transaction_amount_total: set only on lines the sidecar granted. */
  grantedSpend: number | null;
}

/** The membership lines of these partners, with their invoice's state when there is one. */
export async function loadLines(cr: Knex.Transaction, partnerIds: number[]): Promise<LineRow[]> {
  if (!partnerIds.length) return [];
  const invoices = await hasInvoices(cr);
  const invoiceCols = invoices
    ? `m.state as inv_state, m.payment_state as inv_payment,
       exists (select 1 from account_move r where r.reversed_entry_id = m.id) as inv_reversed`
    : `null::varchar as inv_state, null::varchar as inv_payment, false as inv_reversed`;
  const invoiceJoin = invoices
    ? `left join account_move_line aml on aml.id = l.account_invoice_line left join account_move m on m.id = aml.move_id`
    : '';
  const rows = (
    await cr.raw(
      `select l.id, l.partner, l.membership_id, l.state, l.date_from::text, l.date_to::text, l.date_cancel::text,
              l.member_transaction_amount_total, ${invoiceCols}
         from membership_membership_line l ${invoiceJoin}
        where l.partner = any(?::int[])`,
      [partnerIds],
    )
  ).rows;
  return rows.map((r: Record<string, unknown>) => ({
    id: r.id as number,
    partnerId: r.partner as number,
    productId: r.membership_id as number,
    state: (r.state as MembershipState | null) ?? null,
    dateFrom: (r.date_from as IsoDate | null) ?? null,
    dateTo: (r.date_to as IsoDate | null) ?? null,
    dateCancel: (r.date_cancel as IsoDate | null) ?? null,
    invoice: r.inv_state ? { state: r.inv_state as string, paymentState: (r.inv_payment as string | null) ?? null, reversed: r.inv_reversed === true } : null,
    grantedSpend: r.member_transaction_amount_total === null ? null : Number(r.member_transaction_amount_total),
    tier: r.member_transaction_amount_total !== null,
  }));
}

export interface PartnerRow extends PartnerFacts {
  id: number;
  stored: { state: MembershipState | null; start: IsoDate | null; stop: IsoDate | null; cancel: IsoDate | null };
}

export async function loadPartners(cr: Knex.Transaction, partnerIds: number[]): Promise<Map<number, PartnerRow>> {
  const rows = partnerIds.length
    ? (
        await cr.raw(
          `select id, free_member, associate_member, membership_state,
                  membership_start::text, membership_stop::text, membership_cancel::text
             from res_partner where id = any(?::int[])`,
          [partnerIds],
        )
      ).rows
    : [];
  const out = new Map<number, PartnerRow>();
  for (const r of rows) {
    const state = (r.membership_state as MembershipState | null) ?? null;
    out.set(r.id, {
      id: r.id,
      freeMember: r.free_member === true,
      previousState: state,
      associateId: r.associate_member ?? null,
      stored: { state, start: r.membership_start ?? null, stop: r.membership_stop ?? null, cancel: r.membership_cancel ?? null },
    });
  }
  return out;
}

/**
 * Every configured tier: an active membership product with a rank and a qualifying spend.
 * A missing window means a year. Tiers whose period does not include today are returned
 * too (engine/membership.ts decides which are on sale), so the ranks of lines granted
 * earlier stay known.
 */
export async function loadTiers(cr: Knex | Knex.Transaction): Promise<Tier[]> {
  const rows = (
    await cr.raw(
      `select pp.id, t.membership_rank, t.membership_min_amount, t.membership_window_days,
              t.membership_date_from::text, t.membership_date_to::text
         from product_product pp join product_template t on t.id = pp.product_tmpl_id
        where t.membership and t.membership_rank is not null and t.membership_min_amount is not null
          and coalesce(pp.active, false) and coalesce(t.active, false)
        order by pp.id`,
    )
  ).rows;
  return rows.map((r: Record<string, unknown>) => ({
    productId: r.id as number,
    rank: r.membership_rank as number,
    minAmount: Number(r.membership_min_amount),
    windowDays: (r.membership_window_days as number | null) ?? DEFAULT_WINDOW_DAYS,
    periodFrom: (r.membership_date_from as string | null) ?? null,
    periodTo: (r.membership_date_to as string | null) ?? null,
  }));
}

export const DEFAULT_WINDOW_DAYS = 365;

/** UTC calendar day of an instant (Odoo stores dates and datetimes in UTC). */
export const utcDay = (now: Date): IsoDate => now.toISOString().slice(0, 10);

/** Odoo's `timestamp without time zone` text for an instant (UTC). */
export const utcTimestamp = (now: Date): string => now.toISOString().replace('T', ' ').replace('Z', '');

/** Start of a spend window of N days ending at `now`: orders strictly after it count. */
export const windowStart = (now: Date, days: number): string => utcTimestamp(new Date(now.getTime() - days * 86_400_000));

/**
 * The qualifying-spend aggregate over pos_order, one sum per window (in the order given):
 * `select ${select} from pos_order where ${where}` yields `amounts numeric[]`. The one and
 * only definition of spend, shared by the one-partner evaluation and the set-based job:
 * paid, done and invoiced POS orders (refunds are orders with negative totals).
 */
export function spendQuery(windows: number[], now: Date): { select: string; where: string; bindings: string[] } {
  const sums = windows.map(() => 'coalesce(sum(amount_total) filter (where date_order > ?), 0)').join(', ');
  return {
    select: `array[${sums}] as amounts`,
    where: `state = any(array['paid', 'done', 'invoiced']) and date_order <= ? and date_order > ?`,
    bindings: [...windows.map((w) => windowStart(now, w)), utcTimestamp(now), windowStart(now, Math.max(...windows))],
  };
}

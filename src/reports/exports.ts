/**
 * The report views as exports (GET /api/v1/reports/{name}): which model each name reads, which
 * columns, the date field the from/to range applies to. The rows come through executeKw's
 * search_read as the calling user, a page at a time in id order (keyset: id > the last one),
 * so access rights and record rules are exactly execute_kw's and memory stays flat whatever
 * the range. A view computed on every read (promotion_result_details) is read a day at a time
 * when the range has both ends: each page then costs a day's rows, not the whole range's.
 */
import { AppContext } from '../context';
import { executeKw } from '../orm/call';

export interface ReportExport {
  model: string;
  /** Exported columns, in order. */
  fields: string[];
  /** The field from/to select on, and whether it holds a datetime (the range is then whole UTC days). */
  dateField: string;
  datetime: boolean;
  /** Read a bounded range day by day (rows in date, then id order): for views whose rows are computed on each read. */
  byDay: boolean;
}

export const REPORT_EXPORTS: Record<string, ReportExport> = {
  'promotion-result': {
    model: 'promotion.result',
    fields: ['id', 'date', 'program_id', 'company_id', 'config_id', 'order_count', 'customer_count', 'revenue', 'discount_amount',
      'points_issued', 'points_redeemed', 'points_expired', 'new_cards', 'refreshed_at'],
    dateField: 'date',
    datetime: false,
    byDay: false,
  },
  'promotion-result-details': {
    model: 'promotion.result.details',
    fields: ['id', 'date', 'order_id', 'line_id', 'partner_id', 'program_id', 'reward_id', 'company_id', 'config_id',
      'discount_amount', 'points_won', 'points_spent'],
    dateField: 'date',
    datetime: false,
    byDay: true,
  },
  'pos-order-first': {
    model: 'pos.order.first',
    fields: ['id', 'date_order', 'partner_id', 'order_id', 'config_id', 'company_id', 'amount_total', 'referral_code_used', 'referrer_id'],
    dateField: 'date_order',
    datetime: true,
    // One row per partner: which is first is known only over all of a partner's orders, so
    // a filter on the date cannot narrow the work; fewer, bigger reads are cheaper.
    byDay: false,
  },
};

/** Rows per search_read: big enough that a page's round trip is small beside its rows. */
const PAGE = 5000;

/** The Odoo domain of a from/to range (both inclusive days, either optional). */
function rangeDomain(report: ReportExport, from: string | null, to: string | null): unknown[] {
  const domain: unknown[] = [];
  if (from) domain.push([report.dateField, '>=', report.datetime ? `${from} 00:00:00` : from]);
  if (to) domain.push(report.datetime ? [report.dateField, '<', `${nextDay(to)} 00:00:00`] : [report.dateField, '<=', to]);
  return domain;
}

const nextDay = (day: string) => new Date(Date.parse(day + 'T00:00:00Z') + 86_400_000).toISOString().slice(0, 10);

/** The report's rows from `from` to `to` as the user may read them, page by page, as search_read answers them. */
export async function* reportRows(app: AppContext, uid: number, report: ReportExport, from: string | null, to: string | null): AsyncGenerator<Record<string, unknown>> {
  if (!report.byDay || !from || !to) {
    yield* pages(app, uid, report, rangeDomain(report, from, to));
    return;
  }
  for (let day = from; day <= to; day = nextDay(day)) yield* pages(app, uid, report, rangeDomain(report, day, day));
}

async function* pages(app: AppContext, uid: number, report: ReportExport, domain: unknown[]): AsyncGenerator<Record<string, unknown>> {
  let last = 0;
  for (;;) {
    const page = (await executeKw(app, uid, report.model, 'search_read', [[...domain, ['id', '>', last]]],
      { fields: report.fields, order: 'id', limit: PAGE })) as Array<Record<string, unknown>>;
    for (const row of page) yield row;
    if (page.length < PAGE) return;
    last = page[page.length - 1].id as number;
  }
}

import { OutboxEvent } from './outbox';
import { MembershipChangedData } from './types';

/** The membership.changed event of one partner's evaluation (models/membership-evaluate.ts). */
export function membershipChangedEvent(e: { partnerId: number; tier: number | null; openedLineId: number | null; closedLineId: number | null; spend: number | null }): OutboxEvent {
  const data: MembershipChangedData = {
    partner_id: e.partnerId,
    tier_product_id: e.tier,
    opened_line_id: e.openedLineId,
    closed_line_id: e.closedLineId,
    spend: e.spend,
  };
  return { type: 'membership.changed', payload: data as unknown as Record<string, unknown> };
}

/**
 * The same events of a set-based evaluation (models/membership-batch.ts): one per row of the
 * decisions table (partner_id, close, open, g_id, e_product, amount), with the line opened for
 * it from `opened` (id, partner).
 */
export const membershipChangedSelect = (decisions: string, opened: string): string => `
  select 'membership.changed'::varchar as type,
         jsonb_build_object('partner_id', d.partner_id, 'tier_product_id', case when d.open then d.e_product end,
                            'opened_line_id', o.id, 'closed_line_id', case when d.close then d.g_id end,
                            'spend', d.amount) as payload
    from ${decisions} d left join ${opened} o on o.partner = d.partner_id
   order by d.partner_id`;

import { OutboxEvent } from './outbox';
import { CardCreatedData } from './types';

/** The card.created events of newly inserted loyalty_card rows. */
export function cardCreatedEvents(rows: Array<{ id: number; program_id: number; partner_id: number | null; code: string }>): OutboxEvent[] {
  return rows.map((r) => {
    const data: CardCreatedData = { card_id: r.id, program_id: r.program_id, partner_id: r.partner_id ?? null, code: r.code };
    return { type: 'card.created', payload: data as unknown as Record<string, unknown> };
  });
}

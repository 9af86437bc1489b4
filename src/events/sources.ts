/**
 * Events of changes that other parts of the sidecar announce through their hooks: processed
 * orders (orders/hooks.ts) and loyalty cards created through the ORM (execute_kw create).
 * The ledger, the order's cards, membership tiers and jobs write theirs where they change
 * things (ledger.ts, orders/cards.ts, membership, jobs/scheduler.ts).
 */
import { onOrderProcessed } from '../orders/hooks';
import { afterWrite } from '../orm/computes';
import { cardCreatedEvents } from './cards';
import { emitEvents } from './outbox';
import { OrderProcessedData } from './types';

onOrderProcessed(async (events) => {
  await emitEvents(events[0].cr, events.map((e) => {
    const data: OrderProcessedData = {
      pos_order_id: e.posOrderId,
      reference: e.reference,
      partner_id: e.partnerId,
      company_id: e.companyId,
      kind: e.kind,
      cards: e.cards.map((c) => ({ card_id: c.card_id, program_id: c.program_id, won: c.won, spent: c.spent, balance: c.balance, created: c.created })),
      uid: e.uid,
    };
    return { type: 'order.processed' as const, payload: data as unknown as Record<string, unknown> };
  }));
});

afterWrite('loyalty.card', [], async (env, ids, event) => {
  if (event.kind !== 'create') return;
  const rows = await env.cr('loyalty_card').whereIn('id', ids).orderBy('id').select('id', 'program_id', 'partner_id', 'code');
  await emitEvents(env.cr, cardCreatedEvents(rows));
});

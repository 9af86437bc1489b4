import { Knex } from 'knex';
import { AppliedCard } from './types';

/** What other parts of the sidecar learn about an order whose points were just applied. */
export interface ProcessedOrderEvent {
  /** The transaction that processed it: a hook's writes commit or roll back with the order. */
  cr: Knex;
  posOrderId: number | null;
  reference: string | null;
  partnerId: number | null;
  companyId: number;
  kind: 'order' | 'refund';
  cards: AppliedCard[];
  uid: number | null;
  now: Date;
}

/** Called with the orders processed together (one, or a batch's round): all in one transaction. */
export type OrderProcessedHook = (events: ProcessedOrderEvent[]) => Promise<void>;

const hooks: OrderProcessedHook[] = [];

/**
 * Registers work to run after processed orders (for example the membership evaluation of
 * their partners), inside the same transaction: if a hook fails, the orders stay unprocessed
 * and are tried again by the sweep. A batch calls it once for orders of distinct partners,
 * so a hook may work set-based.
 */
export function onOrderProcessed(fn: OrderProcessedHook): void {
  hooks.push(fn);
}

export async function runOrderProcessedHooks(events: ProcessedOrderEvent[]): Promise<void> {
  if (!events.length) return;
  for (const fn of hooks) await fn(events);
}

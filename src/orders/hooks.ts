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

export type OrderProcessedHook = (event: ProcessedOrderEvent) => Promise<void>;

const hooks: OrderProcessedHook[] = [];

/**
 * Registers work to run after each processed order (for example the membership evaluation of
 * its partner), inside the same transaction: if a hook fails, the order stays unprocessed and
 * is tried again by the sweep.
 */
export function onOrderProcessed(fn: OrderProcessedHook): void {
  hooks.push(fn);
}

export async function runOrderProcessedHooks(event: ProcessedOrderEvent): Promise<void> {
  for (const fn of hooks) await fn(event);
}

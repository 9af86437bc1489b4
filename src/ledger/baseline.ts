import { Knex } from 'knex';
import { reconcileCards } from './reconcile';

/**
 * Starts the ledger on a database that already holds loyalty data (attaching to a live Odoo,
 * or loading the demo seeds): orders paid before now already gave their points, so they are
 * marked processed and never processed again; every card holding points gets its opening move.
 */
export async function startLedger(db: Knex, now: Date): Promise<void> {
  await db.raw(`
    INSERT INTO sidecar_processed_order (pos_order_id, source)
    SELECT id, 'opening' FROM pos_order WHERE state IN ('paid', 'done', 'invoiced')
    ON CONFLICT DO NOTHING`);
  await reconcileCards(db, { uid: null, now });
}

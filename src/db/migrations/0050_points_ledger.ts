import { Knex } from 'knex';
import { startLedger } from '../../ledger/baseline';

/**
 * The points ledger (DESIGN decision 6), in attached and standalone mode alike.
 *
 * loyalty_point_move: one row per change of a card's points. Positive moves are also lots:
 * `remaining` is what is left of them and `expiration_date` the last day they can be spent,
 * so redeeming draws from the lots that expire first and the expiry job knows what to take.
 * loyalty_point_history: the per-card history people read, shaped like Odoo 18's loyalty.history.
 * sidecar_processed_order: "process order X" happens once, by a unique key, whoever asks.
 * sidecar_idempotency_key: the stored answer of each REST write sent with an Idempotency-Key.
 *
 * Column names follow Odoo's conventions (create_uid, create_date …) so that the bridge addon
 * can declare these tables as models unchanged.
 */
export async function up(db: Knex): Promise<void> {
  await db.raw(`ALTER TABLE loyalty_program ADD COLUMN IF NOT EXISTS points_validity_days integer`);
  await db.raw(`
    CREATE TABLE IF NOT EXISTS loyalty_point_move (
      id serial PRIMARY KEY,
      card_id integer NOT NULL REFERENCES loyalty_card(id) ON DELETE CASCADE,
      kind varchar NOT NULL CHECK (kind IN ('opening', 'earn', 'redeem', 'expire', 'adjust', 'refund')),
      points numeric NOT NULL,
      remaining numeric NOT NULL DEFAULT 0,
      expiration_date date,
      lot_id integer REFERENCES loyalty_point_move(id) ON DELETE SET NULL,
      pos_order_id integer REFERENCES pos_order(id) ON DELETE SET NULL,
      reference varchar,
      reason text,
      idempotency_key varchar,
      company_id integer REFERENCES res_company(id) ON DELETE SET NULL,
      create_uid integer REFERENCES res_users(id) ON DELETE SET NULL,
      create_date timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
      write_uid integer REFERENCES res_users(id) ON DELETE SET NULL,
      write_date timestamp without time zone,
      CONSTRAINT loyalty_point_move_remaining_in_lot CHECK (remaining >= 0 AND remaining <= GREATEST(points, 0))
    )`);
  await db.raw(`CREATE UNIQUE INDEX IF NOT EXISTS loyalty_point_move_idempotency_key
                  ON loyalty_point_move (idempotency_key) WHERE idempotency_key IS NOT NULL`);
  await db.raw(`CREATE INDEX IF NOT EXISTS loyalty_point_move_card_id ON loyalty_point_move (card_id)`);
  await db.raw(`CREATE INDEX IF NOT EXISTS loyalty_point_move_pos_order_id ON loyalty_point_move (pos_order_id) WHERE pos_order_id IS NOT NULL`);
  await db.raw(`CREATE INDEX IF NOT EXISTS loyalty_point_move_open_lots
                  ON loyalty_point_move (card_id, expiration_date) WHERE remaining > 0`);
  await db.raw(`CREATE INDEX IF NOT EXISTS loyalty_point_move_due_lots
                  ON loyalty_point_move (expiration_date) WHERE remaining > 0 AND expiration_date IS NOT NULL`);

  await db.raw(`
    CREATE TABLE IF NOT EXISTS loyalty_point_history (
      id serial PRIMARY KEY,
      card_id integer NOT NULL REFERENCES loyalty_card(id) ON DELETE CASCADE,
      company_id integer REFERENCES res_company(id) ON DELETE SET NULL,
      description text NOT NULL,
      issued double precision NOT NULL DEFAULT 0,
      used double precision NOT NULL DEFAULT 0,
      order_model varchar,
      order_id integer,
      create_uid integer REFERENCES res_users(id) ON DELETE SET NULL,
      create_date timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
      write_uid integer REFERENCES res_users(id) ON DELETE SET NULL,
      write_date timestamp without time zone
    )`);
  await db.raw(`CREATE INDEX IF NOT EXISTS loyalty_point_history_card_id ON loyalty_point_history (card_id, id)`);

  await db.raw(`
    CREATE TABLE IF NOT EXISTS sidecar_processed_order (
      id serial PRIMARY KEY,
      pos_order_id integer UNIQUE REFERENCES pos_order(id) ON DELETE CASCADE,
      external_reference varchar UNIQUE,
      source varchar NOT NULL,
      result jsonb,
      create_uid integer,
      create_date timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
      CONSTRAINT sidecar_processed_order_has_key CHECK (pos_order_id IS NOT NULL OR external_reference IS NOT NULL)
    )`);

  await db.raw(`
    CREATE TABLE IF NOT EXISTS sidecar_idempotency_key (
      scope varchar NOT NULL,
      key varchar NOT NULL,
      request_hash varchar NOT NULL,
      status integer,
      response jsonb,
      create_date timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
      PRIMARY KEY (scope, key)
    )`);

  await startLedger(db, new Date());
}

export async function down(): Promise<void> {
  // The ledger is the audit trail of customers' points: never dropped automatically.
}

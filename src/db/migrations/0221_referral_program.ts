import { Knex } from 'knex';

/**
 * The referral program, with Odoo's loyalty models: a loyalty.program (program_type 'loyalty',
 * one card per partner) whose referral_points > 0 gives the referrer that many points on their
 * card of the program when a customer who gave their code at the till has their first paid
 * order processed (src/orders/referral.ts). One column on Odoo's table (the bridge addon
 * declares it as fields.Float, Odoo's float8), and the sidecar's record of the awards.
 *
 * sidecar_referral_award: one row per referred customer and referral program, ever. Its
 * primary key makes "once" hold in the database: two first orders of one customer processed at
 * once (two replicas, the hook and the sweep) queue on the key, and the second finds it taken
 * and gives nothing.
 */
export async function up(db: Knex): Promise<void> {
  await db.raw('alter table if exists loyalty_program add column if not exists referral_points double precision');
  await db.raw(`
    create table if not exists sidecar_referral_award (
      referred_partner_id integer not null,
      program_id integer not null,
      referrer_partner_id integer not null,
      code varchar not null,
      card_id integer,
      pos_order_id integer,
      reference varchar,
      points double precision not null default 0,
      create_uid integer,
      create_date timestamp without time zone not null default (now() at time zone 'utc'),
      primary key (referred_partner_id, program_id)
    )`);
  await db.raw('create index if not exists sidecar_referral_award_referrer on sidecar_referral_award (referrer_partner_id)');
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop table if exists sidecar_referral_award');
  // loyalty_program.referral_points may hold a retailer's settings: never dropped automatically.
}

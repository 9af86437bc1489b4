import { Knex } from 'knex';
import { afterWrite } from '../orm/computes';
import { utcTimestamp } from './membership-facts';
import { cardCreatedEvents } from '../events/cards';
import { emitEvents } from '../events/outbox';

/**
 * loyalty_program.is_primary_loyalty marks the program whose card every new partner gets.
 * Partners created through the sidecar's ORM get it at once; partners Odoo creates directly
 * get it from the hourly membership job (partners created since its last run).
 */

/**
 * Gives the primary program's card to each of these partners that has none, in one
 * statement. Card codes follow Odoo 17's format (044 and eleven characters of a UUID).
 * Returns how many cards were created.
 */
export async function givePrimaryCards(cr: Knex | Knex.Transaction, partnerIds: number[] | { createdAfter: Date }, uid: number, now: Date): Promise<number> {
  const program = await cr('loyalty_program')
    .where({ is_primary_loyalty: true, active: true })
    .orderBy([{ column: 'sequence' }, { column: 'id' }])
    .first('id', 'company_id');
  if (!program) return 0;
  const who = Array.isArray(partnerIds)
    ? { sql: 'p.id = any(?::int[])', bindings: [partnerIds] }
    : { sql: 'p.create_date > ?', bindings: [utcTimestamp(partnerIds.createdAfter)] };
  const stamp = utcTimestamp(now);
  const inserted = await cr.raw(
    `insert into loyalty_card (program_id, company_id, partner_id, code, points, create_uid, write_uid, create_date, write_date)
     select ?, ?, p.id, '044' || substr(gen_random_uuid()::text, 8, 11), 0, ?, ?, ?, ?
       from res_partner p
      where ${who.sql} and coalesce(p.active, true)
        and not exists (select 1 from loyalty_card c where c.program_id = ? and c.partner_id = p.id)
     returning id, program_id, partner_id, code`,
    [program.id, program.company_id, uid, uid, stamp, stamp, ...who.bindings, program.id],
  );
  await emitEvents(cr, cardCreatedEvents(inserted.rows));
  return inserted.rowCount ?? 0;
}

afterWrite('res.partner', [], async (env, ids, event) => {
  if (event.kind === 'create') await givePrimaryCards(env.cr, ids, env.uid, new Date());
});

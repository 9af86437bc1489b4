import { Knex } from 'knex';
import { givePrimaryCards } from './membership-primary-card';
import { issueReferralCodes } from './referral-code';

/**
 * What a partner Odoo creates gets from the sidecar: the primary loyalty program's card and a
 * referral code. The bridge addon's partner-created hook brings them at once; the sweep gives
 * them to the partners no hook brought (the sidecar was down): those created since the sidecar
 * attached that still have no referral code. Partners older than the sidecar only get a code,
 * from the referral-codes job. Idempotent: a partner that has them gets nothing new.
 */
export async function welcomePartners(cr: Knex, partnerIds: number[], uid: number | null, now: Date): Promise<{ cards: number; referral_codes: number }> {
  if (!partnerIds.length) return { cards: 0, referral_codes: 0 };
  return {
    cards: await givePrimaryCards(cr, partnerIds, uid ?? 1, now),
    referral_codes: await issueReferralCodes(cr, partnerIds),
  };
}

/** The sweep's part: partners created since the sidecar attached to the database that no hook reached. */
export async function welcomeMissedPartners(cr: Knex, now: Date): Promise<number> {
  const ids = (await cr.raw(`
    SELECT p.id FROM res_partner p
     WHERE p.referral_code IS NULL
       AND p.create_date >= (SELECT min(migration_time) AT TIME ZONE 'UTC' FROM sidecar_knex_migrations)
     ORDER BY p.id LIMIT 10000`)).rows.map((r: { id: number }) => r.id);
  return (await welcomePartners(cr, ids, 1, now)).referral_codes;
}

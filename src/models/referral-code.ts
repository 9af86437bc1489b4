import { randomInt } from 'node:crypto';
import { Knex } from 'knex';
import { afterWrite } from '../orm/computes';

/**
 * res_partner.referral_code: each partner's own code to refer others with, issued by the
 * sidecar: at once for partners created through its ORM, on the bridge addon's
 * partner-created hook for partners Odoo creates, and by the daily `referral-codes` job for
 * the others (the back-fill of an existing database). Eight characters of an alphabet without
 * look-alikes (no 0/O, 1/I/L): 32^8, about 10^12 codes; a code is never changed once issued.
 */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const LENGTH = 8;
/** Partners given codes per statement in a back-fill. */
const CHUNK = 10_000;

export function newReferralCode(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/**
 * Gives these partners (or, with 'missing', every partner) that have no code one. A code that
 * happens to exist already (the unique index says so) sends the statement again with new
 * codes, in a savepoint. Returns how many partners got a code.
 */
export async function issueReferralCodes(cr: Knex, partnerIds: number[] | 'missing'): Promise<number> {
  let issued = 0;
  for (let after = 0; ;) {
    const ids = (partnerIds === 'missing'
      ? await cr('res_partner').whereNull('referral_code').where('id', '>', after).orderBy('id').limit(CHUNK).pluck('id')
      : await cr('res_partner').whereNull('referral_code').whereIn('id', partnerIds).orderBy('id').pluck('id')) as number[];
    if (!ids.length) return issued;
    issued += await withFreshCodes(cr, ids);
    if (partnerIds !== 'missing') return issued;
    after = ids[ids.length - 1];
  }
}

async function withFreshCodes(cr: Knex, ids: number[]): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await cr.transaction(async (sp) => (await sp.raw(`
        update res_partner p set referral_code = v.code
          from unnest(?::int[], ?::varchar[]) v(id, code)
         where p.id = v.id and p.referral_code is null`, [ids, ids.map(newReferralCode)])).rowCount ?? 0);
    } catch (err) {
      if ((err as { code?: string }).code !== '23505' || attempt >= 5) throw err;
    }
  }
}

afterWrite('res.partner', [], async (env, ids, event) => {
  if (event.kind === 'create') await issueReferralCodes(env.cr, ids);
});

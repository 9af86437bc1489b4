import { Knex } from 'knex';
import { IsoDate, passesTierGate } from '../engine/membership';
import type { ProgramGate } from './loyalty/load';
import { currentTiers, PartnerTier } from './membership-evaluate';

/** A program linked to a membership product, with that product's tier rank (null: not a ranked tier). */
export interface GatedProgram {
  id: number;
  product_id: number;
  rank: number | null;
}

/**
 * The gated programs as one JSON value, so that the catalogue loader can read them in its own
 * per-request statement instead of a round trip of their own.
 */
export const GATED_PROGRAMS_SQL = `select coalesce(json_agg(json_build_object('id', lp.id, 'product_id', lp.membership_product_id, 'rank', t.membership_rank)), '[]')
         from loyalty_program lp
         join product_product pp on pp.id = lp.membership_product_id
         join product_template t on t.id = pp.product_tmpl_id
        where lp.membership_product_id is not null`;

/**
 * The tier gate of loyalty programs, for the engine's catalogue loader: a program linked to
 * a membership product (loyalty_program.membership_product_id) is handed to the engine only
 * for partners who hold that membership today, or a tier ranked at least as high. `today`
 * is the order's date, as the engine judges every other date. `gated` comes from
 * GATED_PROGRAMS_SQL, read by the caller. One gate per request, the memberships of all their
 * partners read in one round trip per day asked.
 */
export async function gatesOf(db: Knex, gated: GatedProgram[], reqs: Array<{ partnerId: number | null; today: IsoDate }>): Promise<ProgramGate[]> {
  // Most databases gate nothing: then the partners' memberships are not even read.
  if (!gated.length) return reqs.map(() => () => true);
  const held = new Map<string, PartnerTier>();
  for (const today of new Set(reqs.map((r) => r.today))) {
    const ids = [...new Set(reqs.filter((r) => r.today === today && r.partnerId !== null).map((r) => r.partnerId!))];
    for (const [id, tier] of await currentTiers(db, ids, today)) held.set(`${id}@${today}`, tier);
  }
  const byProgram = new Map(gated.map((g) => [g.id, g]));
  return reqs.map((r) => {
    const h = held.get(`${r.partnerId}@${r.today}`) ?? { tier: null, products: new Set<number>() };
    return (program) => {
      const g = byProgram.get(program.id);
      if (!g) return true;
      if (h.products.has(g.product_id)) return true;
      // A membership product that is not a ranked tier admits only its own holders.
      return g.rank !== null && passesTierGate(g.rank, h.tier?.rank ?? null);
    };
  });
}

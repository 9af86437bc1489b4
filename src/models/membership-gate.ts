import { Knex } from 'knex';
import { IsoDate, passesTierGate } from '../engine/membership';
import { ProgramGate } from './loyalty/load';
import { currentTier } from './membership-evaluate';

/**
 * The tier gate of loyalty programs, for the engine's catalogue loader: a program linked to
 * a membership product (loyalty_program.membership_product_id) is handed to the engine only
 * for partners who hold that membership today, or a tier ranked at least as high. `today`
 * is the order's date, as the engine judges every other date.
 */
export async function membershipGate(db: Knex, partnerId: number | null, today: IsoDate): Promise<ProgramGate> {
  const gated = (
    await db.raw(
      `select lp.id, lp.membership_product_id as product_id, t.membership_rank as rank
         from loyalty_program lp
         join product_product pp on pp.id = lp.membership_product_id
         join product_template t on t.id = pp.product_tmpl_id
        where lp.membership_product_id is not null`,
    )
  ).rows as Array<{ id: number; product_id: number; rank: number | null }>;
  // Most databases gate nothing: then the partner's memberships are not even read.
  if (!gated.length) return () => true;
  const held = partnerId === null ? { tier: null, products: new Set<number>() } : await currentTier(db, partnerId, today);
  const byProgram = new Map(gated.map((g) => [g.id, g]));
  return (program) => {
    const g = byProgram.get(program.id);
    if (!g) return true;
    if (held.products.has(g.product_id)) return true;
    // A membership product that is not a ranked tier admits only its own holders.
    return g.rank !== null && passesTierGate(g.rank, held.tier?.rank ?? null);
  };
}

import { Knex } from 'knex';
import { loadConfig } from '../config';
import { onOrderProcessed } from '../orders/hooks';
import { evaluatePartners } from './membership-batch';
import { currentTiers, evaluatePartner } from './membership-evaluate';
import { utcDay } from './membership-facts';

/**
 * After processed orders (in their transaction): stamp pos_order.membership_product_id with
 * the tier the partner held when the order was processed (the tier its programs were gated
 * by), then evaluate the partners' tiers with the orders counted. The orders handed together
 * are of distinct partners (a batch keeps a partner's orders apart), so each stamp is the
 * tier before its own order, as when they are processed one by one.
 */
const FEW_PARTNERS = 3;
let policy: ReturnType<typeof loadConfig>['membershipDowngrade'] | undefined;

onOrderProcessed(async (events) => {
  const withPartner = events.filter((e) => e.partnerId !== null);
  if (!withPartner.length) return;
  const { now, uid } = withPartner[0];
  const cr = withPartner[0].cr as Knex.Transaction;
  const partners = [...new Set(withPartner.map((e) => e.partnerId!))];
  const stamped = withPartner.filter((e) => e.posOrderId !== null);
  if (stamped.length) {
    const held = await currentTiers(cr, partners, utcDay(now));
    await cr.raw(`UPDATE pos_order o SET membership_product_id = s.product_id FROM unnest(?::int[], ?::int[]) s(id, product_id) WHERE o.id = s.id`,
      [stamped.map((e) => e.posOrderId!), stamped.map((e) => held.get(e.partnerId!)!.tier?.productId ?? null)] as unknown as Knex.RawBinding[]);
  }
  // The environment was validated at start-up; the hook has no other way to the configuration.
  policy ??= loadConfig().membershipDowngrade;
  const clock = { now, policy, uid: uid ?? 1 };
  // A few partners (a single order): the one-partner evaluation, about 7 statements each, is
  // fewer than the set-based one's work tables (about 22); the membership tests hold both to
  // identical results.
  if (partners.length <= FEW_PARTNERS) for (const p of partners) await evaluatePartner(cr, p, clock);
  else await evaluatePartners(cr, clock, partners);
});

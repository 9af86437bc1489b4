import { Knex } from 'knex';
import { IsoDate, MembershipState, partnerMembership, PartnerMembership } from '../engine/membership';
import { LineRow, loadLines, loadPartners, PartnerRow } from './membership-facts';

/**
 * Keeps res_partner's stored membership columns (membership_state, membership_start,
 * membership_stop, membership_cancel) what Odoo 17 would compute, after the sidecar (or
 * the ORM) changed membership lines, free_member or associate_member of these partners.
 *
 * Odoo's field is recursive through associate_member: partners associated with a changed
 * partner (directly or down a chain) are recomputed too, associates first.
 * Returns the ids whose columns changed.
 */
export async function recomputePartnerMembership(cr: Knex.Transaction, partnerIds: number[], today: IsoDate): Promise<number[]> {
  if (!partnerIds.length) return [];
  const scope = await withDependents(cr, partnerIds);
  const partners = await loadPartners(cr, scope);
  // Associates outside the scope are read, not recomputed: their lines give start/stop.
  const outside = [...new Set([...partners.values()].map((p) => p.associateId).filter((id): id is number => id !== null && !partners.has(id)))];
  const associates = await loadPartners(cr, outside);
  const lines = groupLines(await loadLines(cr, [...scope, ...outside]));

  const computed = new Map<number, PartnerMembership>();
  const compute = (id: number, depth: number): MembershipState | null => {
    const own = partners.get(id);
    if (!own) return associates.get(id)?.stored.state ?? null;
    const done = computed.get(id);
    if (done) return done.state;
    // Odoo's constraint forbids chains over 100 levels; stop there rather than loop.
    const associateState = own.associateId !== null && depth < 100 ? compute(own.associateId, depth + 1) : null;
    const result = partnerMembership(
      own,
      lines.get(id) ?? [],
      own.associateId !== null ? { lines: lines.get(own.associateId) ?? [], state: associateState } : null,
      today,
    );
    computed.set(id, result);
    return result.state;
  };
  for (const id of partners.keys()) compute(id, 0);

  const changed = [...computed.entries()].filter(([id, m]) => differs(partners.get(id) as PartnerRow, m));
  if (changed.length) {
    await cr.raw(
      `update res_partner p
          set membership_state = v.state, membership_start = v.start, membership_stop = v.stop, membership_cancel = v.cancel
         from unnest(?::int[], ?::varchar[], ?::date[], ?::date[], ?::date[]) as v(id, state, start, stop, cancel)
        where p.id = v.id`,
      [
        changed.map(([id]) => id),
        changed.map(([, m]) => m.state),
        changed.map(([, m]) => m.start),
        changed.map(([, m]) => m.stop),
        changed.map(([, m]) => m.cancel),
      ] as unknown as Knex.RawBinding[],
    );
  }
  return changed.map(([id]) => id);
}

function differs(p: PartnerRow, m: PartnerMembership): boolean {
  return p.stored.state !== m.state || p.stored.start !== m.start || p.stored.stop !== m.stop || p.stored.cancel !== m.cancel;
}

function groupLines(rows: LineRow[]): Map<number, LineRow[]> {
  const out = new Map<number, LineRow[]>();
  for (const r of rows) {
    const list = out.get(r.partnerId);
    if (list) list.push(r);
    else out.set(r.partnerId, [r]);
  }
  return out;
}

/** The partners plus every partner whose associate_member chain leads to one of them. */
async function withDependents(cr: Knex.Transaction, partnerIds: number[]): Promise<number[]> {
  const rows = (
    await cr.raw(
      `with recursive dep(id, depth) as (
         select unnest(?::int[]), 0
         union
         select p.id, d.depth + 1 from res_partner p join dep d on p.associate_member = d.id where d.depth < 100
       )
       select distinct id from dep`,
      [partnerIds],
    )
  ).rows;
  return rows.map((r: { id: number }) => r.id);
}

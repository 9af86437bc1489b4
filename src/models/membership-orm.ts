import { afterWrite } from '../orm/computes';
import { constrains } from '../orm/constraints';
import { Env } from '../orm/env';
import { beforeUnlink } from '../orm/ondelete';
import { ValidationError } from '../errors';
import { lineState } from '../engine/membership';
import { hasInvoices, utcDay } from './membership-facts';
import { recomputePartnerMembership } from './membership-partner';

/**
 * res.partner's stored membership columns, kept in step when the ORM writes what Odoo's
 * _compute_membership_state depends on: the partner's free_member and associate_member, and
 * its lines' dates, invoice line and partner (line creation and deletion included). As in
 * Odoo, date_cancel is not a dependency: writing it alone leaves the columns as they were.
 */

const recompute = (env: Env, partnerIds: number[]) =>
  recomputePartnerMembership(env.cr, [...new Set(partnerIds)], utcDay(new Date()));

async function partnersOfLines(env: Env, lineIds: number[]): Promise<number[]> {
  const rows = await env.cr('membership_membership_line').whereIn('id', lineIds).whereNotNull('partner').distinct('partner');
  return rows.map((r: { partner: number }) => r.partner);
}

afterWrite('res.partner', ['free_member', 'associate_member'], async (env, ids) => {
  await recompute(env, ids);
});

/**
 * membership.membership_line.state, computed from the invoice when the ORM sets a line's
 * invoice line. A line created without one keeps the state it was given (Odoo's default
 * computation would say 'none'; the sidecar's own 'free' lines never pass through here).
 */
afterWrite('membership.membership_line', ['account_invoice_line'], async (env, ids) => {
  if (!(await hasInvoices(env.cr))) return;
  const rows = (
    await env.cr.raw(
      `select l.id, m.state, m.payment_state,
              exists (select 1 from account_move r where r.reversed_entry_id = m.id) as reversed
         from membership_membership_line l
         join account_move_line aml on aml.id = l.account_invoice_line
         join account_move m on m.id = aml.move_id
        where l.id = any(?::int[])`,
      [ids],
    )
  ).rows as Array<{ id: number; state: string; payment_state: string | null; reversed: boolean }>;
  for (const r of rows) {
    const state = lineState({ state: r.state, paymentState: r.payment_state, reversed: r.reversed });
    await env.cr('membership_membership_line').where({ id: r.id }).update({ state });
  }
});

afterWrite('membership.membership_line', ['partner', 'date_from', 'date_to', 'account_invoice_line'], async (env, ids) => {
  await recompute(env, await partnersOfLines(env, ids));
});

beforeUnlink('membership.membership_line', async (env, ids) => {
  const partners = await partnersOfLines(env, ids);
  return { after: async () => void (await recompute(env, partners)) };
});

/**
 * res.partner._check_recursion_associate_member: Odoo follows associate_member at most 100
 * times and refuses when there is still a link to follow, so a loop (or a chain of 100 links)
 * is refused. A row of `chain` at depth d means the d-th link exists.
 */
constrains('res.partner', ['associate_member'], async (env, ids) => {
  const looping = (
    await env.cr.raw(
      `with recursive chain(start, id, depth) as (
         select id, associate_member, 1 from res_partner where id = any(?::int[]) and associate_member is not null
         union all
         select c.start, p.associate_member, c.depth + 1 from chain c join res_partner p on p.id = c.id
          where p.associate_member is not null and c.depth < 100)
       select 1 from chain where depth >= 100 limit 1`,
      [ids],
    )
  ).rows.length;
  if (looping) throw new ValidationError('You cannot create recursive associated members.');
});

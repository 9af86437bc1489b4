import { Env } from '../orm/env';
import { afterWrite } from '../orm/computes';
import { defineDefaults } from '../orm/defaults';
import { defineCopyDefaults } from '../orm/write/copy';
import { constrains } from '../orm/constraints';
import { ValidationError } from '../errors';

/**
 * res.partner's stored computed columns, kept as Odoo 17's base (and mail, phone_validation,
 * membership) compute them: commercial_partner_id, commercial_company_name, complete_name
 * (for the partner and its contacts when a parent changes), email_normalized,
 * phone_sanitized, partner_share, and membership_state 'none' for a new partner (engineer
 * "member" recomputes membership from the lines).
 */

/** Contact types whose name Odoo replaces by the type when empty ("Invoice Address"). */
const TYPE_LABELS: Record<string, string> = { invoice: 'Invoice Address', delivery: 'Delivery Address', other: 'Other Address' };

/** The partners and all their contacts, parents first. */
async function withDescendants(env: Env, ids: number[]): Promise<number[]> {
  const rows: Array<{ id: number }> = (
    await env.cr.raw(
      `with recursive tree(id, depth) as (select id, 0 from res_partner where id = any(?)
         union select p.id, t.depth + 1 from res_partner p join tree t on p.parent_id = t.id where t.depth < 50)
       select id from tree group by id order by min(depth), id`,
      [ids],
    )
  ).rows;
  return rows.map((r) => r.id);
}

async function recomputeCommercial(env: Env, ids: number[]): Promise<void> {
  for (const id of await withDescendants(env, ids)) {
    await env.cr.raw(
      `update res_partner p set commercial_partner_id = case when p.is_company or p.parent_id is null then p.id else parent.commercial_partner_id end
         from res_partner self left join res_partner parent on parent.id = self.parent_id
        where self.id = p.id and p.id = ?`,
      [id],
    );
    await env.cr.raw(
      `update res_partner p set commercial_company_name = case when cp.is_company then cp.name else p.company_name end
         from res_partner cp where cp.id = p.commercial_partner_id and p.id = ?`,
      [id],
    );
    const row = (
      await env.cr.raw(
        `select p.name, p.type, p.is_company, p.company_name, p.commercial_company_name, parent.name as parent_name, p.parent_id
           from res_partner p left join res_partner parent on parent.id = p.parent_id where p.id = ?`,
        [id],
      )
    ).rows[0];
    let name: string = row.name ?? '';
    if (row.company_name || row.parent_id) {
      if (!name && TYPE_LABELS[row.type]) name = TYPE_LABELS[row.type];
      if (!row.is_company) name = `${row.commercial_company_name || row.parent_name || ''}, ${name}`;
    }
    await env.cr('res_partner').where('id', id).update({ complete_name: name.trim() || null });
  }
}

afterWrite('res.partner', ['name', 'is_company', 'parent_id', 'type', 'company_name', 'commercial_partner_id'], async (env, ids) => {
  await recomputeCommercial(env, ids);
});

/** mail's email_normalize: the first address found, lower-cased. */
afterWrite('res.partner', ['email'], async (env, ids) => {
  const rows: Array<{ id: number; email: string | null }> = await env.cr('res_partner').whereIn('id', ids).select('id', 'email');
  for (const r of rows) {
    const found = r.email ? /[^\s<>,;"']+@[^\s<>,;"']+/.exec(r.email)?.[0] : undefined;
    await env.cr('res_partner').where('id', r.id).update({ email_normalized: found ? found.toLowerCase() : null });
  }
});

/** phone_validation without the phonenumbers library keeps the number as typed: mobile first, then phone. */
afterWrite('res.partner', ['mobile', 'phone', 'country_id'], async (env, ids) => {
  await env.cr.raw(
    `update res_partner set phone_sanitized = nullif(btrim(coalesce(nullif(btrim(mobile), ''), phone)), '') where id = any(?)`,
    [ids],
  );
});

afterWrite('res.partner', [], async (env, ids, event) => {
  if (event.kind !== 'create') return;
  await env.cr.raw(
    `update res_partner p set partner_share = not exists (select 1 from res_users u where u.partner_id = p.id and u.share is not true),
            membership_state = coalesce(p.membership_state, 'none'),
            message_bounce = coalesce(p.message_bounce, 0)
      where p.id = any(?)`,
    [ids],
  );
});

defineDefaults('res.partner', {
  tz: (env: Env) => (typeof env.context.tz === 'string' ? env.context.tz : false),
  invoice_warn: 'no-message',
  picking_warn: 'no-message',
  sale_warn: 'no-message',
  message_bounce: 0,
});

/** Odoo names a copied contact "<name> (copy)". */
defineCopyDefaults('res.partner', (_env, original) => ({ name: `${original.name ?? ''} (copy)` }));

/** base's _check_parent_id: a contact cannot be its own ancestor. */
constrains('res.partner', ['parent_id'], async (env, ids) => {
  const loop = (
    await env.cr.raw(
      `with recursive up(start, id, depth) as (
         select id, parent_id, 1 from res_partner where id = any(?) and parent_id is not null
         union all select up.start, p.parent_id, up.depth + 1 from up join res_partner p on p.id = up.id
          where p.parent_id is not null and up.id <> up.start and up.depth < 100)
       select 1 from up where id = start limit 1`,
      [ids],
    )
  ).rows[0];
  if (loop) throw new ValidationError('You cannot create recursive Partner hierarchies.');
});

/** Address fields a contact takes from its company (base's _address_fields). */
const ADDRESS = ['street', 'street2', 'zip', 'city', 'state_id', 'country_id'];
/** Commercial fields contacts share with their commercial entity (base's _commercial_fields, stored ones). */
const COMMERCIAL = ['vat', 'company_registry', 'industry_id'];

/**
 * base's _fields_sync: a contact of type 'contact' keeps its parent's address, every contact
 * its commercial entity's commercial fields, and a company's changes reach its contacts.
 */
afterWrite('res.partner', ['parent_id', 'type', ...ADDRESS, ...COMMERCIAL], async (env, ids, event) => {
  const q = (cols: string[]) => cols.map((c) => `"${c}" = src."${c}"`).join(', ');
  if (event.kind === 'create' || event.fields.has('parent_id') || event.fields.has('type')) {
    await env.cr.raw(
      `update res_partner p set ${q(ADDRESS)} from res_partner src
        where src.id = p.parent_id and p.type = 'contact' and p.id = any(?)`,
      [ids],
    );
    await env.cr.raw(
      `update res_partner p set ${q(COMMERCIAL)} from res_partner src
        where src.id = p.commercial_partner_id and src.id <> p.id and p.id = any(?)`,
      [ids],
    );
  }
  if (event.kind === 'write' && ADDRESS.some((f) => event.fields.has(f))) {
    await env.cr.raw(
      `update res_partner p set ${q(ADDRESS)} from res_partner src
        where src.id = p.parent_id and p.type = 'contact' and src.id = any(?)`,
      [ids],
    );
  }
  if (event.kind === 'write' && COMMERCIAL.some((f) => event.fields.has(f))) {
    await env.cr.raw(
      `update res_partner p set ${q(COMMERCIAL)} from res_partner src
        where src.id = p.commercial_partner_id and src.id <> p.id and src.id = any(?)`,
      [ids],
    );
  }
});

/**
 * Evaluates a product.product domain (rules' product_domain, rewards' discount_product_domain)
 * to the set of matching product ids, archived products included (Odoo applies these domains
 * with filtered_domain on the order's products, which ignores `active`).
 *
 * TODO(orm): this is the one place to swap for the ORM's compiler
 * (`searchIds(env, 'product.product', domain, {activeTest: false})` from src/orm/search.ts)
 * once it is on main; until then a small compiler covers the product fields loyalty domains use.
 */
import { Knex } from 'knex';
import { UserError } from '../../errors';
import { PyValue } from '../../orm/pyliteral';

const FIELDS: Record<string, string> = {
  id: 'p.id',
  name: "(t.name->>'en_US')",
  display_name: "(t.name->>'en_US')",
  list_price: 't.list_price',
  lst_price: 't.list_price',
  default_code: 'p.default_code',
  barcode: 'p.barcode',
  active: 'p.active',
  sale_ok: 't.sale_ok',
  purchase_ok: 't.purchase_ok',
  available_in_pos: 't.available_in_pos',
  type: 't.type',
  detailed_type: 't.detailed_type',
  categ_id: 't.categ_id',
  'categ_id.name': 'c.name',
  'categ_id.complete_name': 'c.complete_name',
  product_tmpl_id: 'p.product_tmpl_id',
  company_id: 't.company_id',
};

type Sql = { sql: string; bindings: unknown[] };

function leaf(field: string, op: string, value: PyValue): Sql {
  const col = FIELDS[field];
  if (!col) throw new UserError(`Unsupported field in a product domain: ${field}`);
  const o = op.toLowerCase();
  if (value === false || value === null) {
    if (o === '=') return { sql: `${col} is null`, bindings: [] };
    if (o === '!=' || o === '<>') return { sql: `${col} is not null`, bindings: [] };
  }
  switch (o) {
    case '=': case '!=': case '<>': case '<': case '<=': case '>': case '>=':
      return { sql: `${col} ${o === '<>' ? '!=' : o} ?`, bindings: [value] };
    case 'in': case 'not in': {
      const list = Array.isArray(value) ? value : [value];
      if (!list.length) return { sql: o === 'in' ? 'false' : 'true', bindings: [] };
      return { sql: `${o === 'in' ? '' : 'not '}(${col} in (${list.map(() => '?').join(',')}))`, bindings: list };
    }
    case 'like': case 'not like': case 'ilike': case 'not ilike': {
      const pattern = '%' + String(value).replace(/[\\%_]/g, (m) => '\\' + m) + '%';
      const neg = o.startsWith('not');
      return { sql: `${neg ? 'not ' : ''}(coalesce(${col}::text, '') ${o.endsWith('ilike') ? 'ilike' : 'like'} ?)`, bindings: [pattern] };
    }
    case '=like': case '=ilike':
      return { sql: `(${col}::text ${o === '=ilike' ? 'ilike' : 'like'} ?)`, bindings: [value] };
    default:
      throw new UserError(`Unsupported operator in a product domain: ${op}`);
  }
}

/** Prefix-notation domain → SQL, with implicit AND between consecutive terms. */
function compile(domain: PyValue[]): Sql {
  let pos = 0;
  const term = (): Sql => {
    const t = domain[pos++];
    if (t === '&' || t === '|') {
      const a = term();
      const b = term();
      return { sql: `(${a.sql} ${t === '&' ? 'and' : 'or'} ${b.sql})`, bindings: [...a.bindings, ...b.bindings] };
    }
    if (t === '!') {
      const a = term();
      return { sql: `(not ${a.sql})`, bindings: a.bindings };
    }
    // Odoo's constant leaves: (1, '=', 1) and (0, '=', 1).
    if (Array.isArray(t) && t.length === 3 && typeof t[0] === 'number' && t[1] === '=' && t[2] === 1) {
      return { sql: t[0] === 1 ? 'true' : 'false', bindings: [] };
    }
    if (!Array.isArray(t) || t.length !== 3 || typeof t[0] !== 'string' || typeof t[1] !== 'string') {
      throw new UserError(`Invalid leaf in a product domain: ${JSON.stringify(t)}`);
    }
    return leaf(t[0], t[1], t[2]);
  };
  const parts: Sql[] = [];
  while (pos < domain.length) parts.push(term());
  if (!parts.length) return { sql: 'true', bindings: [] };
  return { sql: parts.map((p) => p.sql).join(' and '), bindings: parts.flatMap((p) => p.bindings) };
}

export async function productIdsMatching(db: Knex, domain: PyValue[]): Promise<Set<number>> {
  const where = compile(domain);
  const rows = await db.raw(
    `select p.id from product_product p join product_template t on t.id = p.product_tmpl_id
       left join product_category c on c.id = t.categ_id where ${where.sql}`,
    where.bindings as Knex.RawBinding[],
  );
  return new Set(rows.rows.map((r: { id: number }) => r.id));
}

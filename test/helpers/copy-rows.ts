import { Knex } from 'knex';

/**
 * Inserts one copy of row `id` of `table` per entry of `copies`: every column as it is (however
 * many NOT NULL columns the installed modules added), a fresh id from the table's sequence, and
 * the entry's values on top. Returns the new ids, in the order of `copies`.
 */
export async function copyRows(db: Knex, table: string, id: number, copies: Array<Record<string, unknown>>): Promise<number[]> {
  const ident = '"' + table.replace(/"/g, '""') + '"';
  const rows = await db.raw(
    `insert into ${ident}
     select (jsonb_populate_record(t, jsonb_build_object('id', nextval(pg_get_serial_sequence(?, 'id'))) || c.value)).*
       from ${ident} t, jsonb_array_elements(?::jsonb) with ordinality as c(value, n) where t.id = ? order by c.n returning id`,
    [table, JSON.stringify(copies), id],
  );
  return rows.rows.map((r: { id: number }) => r.id);
}

import { Knex } from 'knex';

/**
 * The next value of an Odoo ir.sequence, as Odoo 17 computes it: 'standard' sequences draw
 * from their PostgreSQL sequence ir_sequence_<id 3 digits>, 'no_gap' ones from number_next
 * under a row lock; prefix and suffix interpolate the date (%(year)s, %(month)s …, UTC here).
 */
export async function nextSequenceValue(cr: Knex, sequenceId: number, now: Date): Promise<string> {
  const seq = (await cr.raw('SELECT id, implementation, prefix, suffix, padding, number_next, number_increment FROM ir_sequence WHERE id = ? FOR UPDATE', [sequenceId])).rows[0];
  if (!seq) return '/';
  let number: number;
  if (seq.implementation === 'standard') {
    number = Number((await cr.raw(`SELECT nextval(?::regclass) AS n`, [`ir_sequence_${String(seq.id).padStart(3, '0')}`])).rows[0].n);
  } else {
    number = seq.number_next;
    await cr('ir_sequence').where({ id: seq.id }).update({ number_next: seq.number_next + seq.number_increment });
  }
  return interpolate(seq.prefix ?? '', now) + String(number).padStart(seq.padding ?? 0, '0') + interpolate(seq.suffix ?? '', now);
}

function interpolate(text: string, d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  const doy = Math.floor((d.getTime() - start) / 86_400_000) + 1;
  const values: Record<string, string> = {
    year: String(d.getUTCFullYear()), month: p(d.getUTCMonth() + 1), day: p(d.getUTCDate()), y: p(d.getUTCFullYear() % 100),
    doy: p(doy, 3), woy: p(Math.floor((doy - 1 + ((new Date(start).getUTCDay() + 6) % 7)) / 7)), weekday: String(d.getUTCDay()),
    h24: p(d.getUTCHours()), h12: p(((d.getUTCHours() + 11) % 12) + 1), min: p(d.getUTCMinutes()), sec: p(d.getUTCSeconds()),
  };
  return text.replace(/%\((\w+)\)s/g, (m, k: string) => values[k] ?? m);
}

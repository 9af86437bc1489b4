import { Knex } from 'knex';
import { crc32 } from 'node:zlib';
import { preparedQuery } from '../db/prepared';

/**
 * SQL fragments with bound parameters. Values never enter the text: they become `?`
 * placeholders (knex turns them into $n) and travel in `params`. Identifiers enter the text
 * only through `ident`, and only after the registry has vouched for them.
 */
export class Sql {
  constructor(readonly text: string, readonly params: readonly unknown[] = []) {}
}

export type SqlArg = Sql | string | number | boolean | null | readonly unknown[];

/** sql`... ${value} ...`: Sql pieces are inlined, anything else becomes a bound parameter. */
export function sql(strings: TemplateStringsArray, ...args: SqlArg[]): Sql {
  // Plain loops: every ORM call builds its statement from dozens of these.
  let text = strings[0];
  const params: unknown[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a instanceof Sql) {
      text += a.text;
      for (let k = 0; k < a.params.length; k++) params.push(a.params[k]);
    } else {
      text += '?';
      params.push(a);
    }
    text += strings[i + 1];
  }
  return new Sql(text, params);
}

/** A double-quoted identifier. */
export function ident(name: string): Sql {
  return new Sql('"' + name.replace(/"/g, '""') + '"');
}

export function raw(text: string): Sql {
  return new Sql(text);
}

export function joinSql(parts: Sql[], sep: string): Sql {
  let text = '';
  const params: unknown[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    text += i ? sep + p.text : p.text;
    for (let k = 0; k < p.params.length; k++) params.push(p.params[k]);
  }
  return new Sql(text, params);
}

export const TRUE_SQL = raw('TRUE');
export const FALSE_SQL = raw('FALSE');

/** Runs a compiled statement on `cr` (a prepared statement, db/prepared.ts): its rows. */
export function runSql<T = Record<string, any>>(cr: Knex, s: Sql): Promise<T[]> {
  return preparedQuery<T>(cr, s.text, s.params);
}

/**
 * Odoo's make_identifier: a name over PostgreSQL's 63 bytes is cut to 54 characters and
 * suffixed with the CRC32 of the whole name, so two long names never truncate to the same one.
 */
export function makeIdentifier(name: string): string {
  return Buffer.byteLength(name) > 63 ? `${name.slice(0, 54)}_${crc32(name).toString(16).padStart(8, '0')}` : name;
}

/** The alias of a table joined from `alias` through `link`, as Odoo's _generate_table_alias names it. */
export const tableAlias = (alias: string, link: string): string => makeIdentifier(`${alias}__${link}`);

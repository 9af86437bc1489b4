import { Knex } from 'knex';
import { crc32 } from 'node:zlib';
import { escapeLiteral } from 'pg';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as { prepareValue(v: unknown): unknown };
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

/** PostgreSQL's limit on the values one statement binds. */
const MAX_BOUND = 65535;
/** A statement text past this (a domain of thousands of terms) is run once, not kept as a prepared statement. */
const MAX_PREPARED_TEXT = 64 * 1024;

/**
 * Runs a compiled statement on `cr` (a prepared statement, db/prepared.ts): its rows. A huge
 * statement runs unprepared; past PostgreSQL's 65,535 bound values, its values are written as
 * quoted literals exactly as pg would send them (typed the same: unknown until the column
 * types them), so a domain of any length runs.
 */
export async function runSql<T = Record<string, any>>(cr: Knex, s: Sql): Promise<T[]> {
  if (s.text.length <= MAX_PREPARED_TEXT && s.params.length <= MAX_BOUND) return preparedQuery<T>(cr, s.text, s.params);
  if (s.params.length <= MAX_BOUND) return (await cr.raw(s.text, s.params as Knex.RawBinding[])).rows;
  return (await cr.raw(inlineValues(s).replace(/\?/g, '\\?'))).rows;
}

/** The statement with every `?` replaced by its value as a literal (`\\?` stays a question mark). */
function inlineValues(s: Sql): string {
  let i = 0;
  return s.text.replace(/\\\?|\?/g, (m) => {
    if (m !== '?') return '?';
    const v = prepareValue(s.params[i++]);
    return v === null || v === undefined ? 'NULL' : escapeLiteral(String(v));
  });
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

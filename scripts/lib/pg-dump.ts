/**
 * Reads a plain-SQL pg_dump (the format of shared/odoo17/*.sql and *.sql.gz) into its items,
 * each tagged with the table it belongs to, so a generator can pick the DDL and rows of a
 * subset of tables without a database. pg_dump heads every item with
 *   --
 *   -- [Data for ]Name: <name>; Type: <type>; Schema: <schema>; Owner: -
 *   --
 * and writes table data as COPY … FROM stdin blocks ended by a line "\.".
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface DumpItem {
  name: string;
  type: string;
  /** The table the item belongs to ('' for items of no table, e.g. the extension). */
  table: string;
  /** SQL text of the item (for TABLE DATA: the COPY header line only). */
  sql: string;
  /** TABLE DATA: column names and the rows, each value as text or null. */
  columns?: string[];
  rows?: Array<Array<string | null>>;
}

export function readDumpFile(file: string): string {
  const raw = readFileSync(file);
  return (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
}

const HEADER = /^-- (Data for )?Name: (.*); Type: (.*?); Schema: (.*?); Owner: .*$/;

/** COPY's text format: \N is null, backslash escapes \t \n \r \b \f \v \\ and octal \ooo. */
function unescapeCopy(value: string): string | null {
  if (value === '\\N') return null;
  return value.replace(/\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|(.))/g, (_m, oct, hex, ch) => {
    if (oct) return String.fromCharCode(parseInt(oct, 8));
    if (hex) return String.fromCharCode(parseInt(hex, 16));
    return ({ t: '\t', n: '\n', r: '\r', b: '\b', f: '\f', v: '\v' } as Record<string, string>)[ch] ?? ch;
  });
}

const unquote = (ident: string) => ident.replace(/^public\./, '').replace(/^"(.*)"$/, '$1');

/** The table an item belongs to, from its name and SQL (sequences are resolved by the caller). */
function tableOf(name: string, type: string, sql: string): string {
  switch (type) {
    case 'TABLE':
    case 'TABLE DATA':
    case 'VIEW':
      return name;
    case 'DEFAULT':
    case 'CONSTRAINT':
    case 'FK CONSTRAINT':
      return name.split(' ')[0];
    case 'INDEX':
      return unquote(/ ON (?:ONLY )?(public\.[\w"]+)/.exec(sql)?.[1] ?? '');
    case 'SEQUENCE OWNED BY':
      return unquote(/OWNED BY (public\.[\w"]+)\./.exec(sql)?.[1] ?? '');
    case 'COMMENT': {
      const m = /^(?:TABLE|VIEW) (\S+)$/.exec(name) ?? /^COLUMN ([^.]+)\./.exec(name) ?? /^CONSTRAINT \S+ ON (\S+)$/.exec(name);
      return m ? unquote(m[1]) : '';
    }
    default:
      return '';
  }
}

export function parseDump(text: string): DumpItem[] {
  const lines = text.split('\n');
  const items: DumpItem[] = [];
  let i = 0;
  while (i < lines.length) {
    const m = lines[i] === '--' ? HEADER.exec(lines[i + 1] ?? '') : null;
    if (!m || lines[i + 2] !== '--') {
      i++;
      continue;
    }
    const [, , name, type] = m;
    i += 3;
    const body: string[] = [];
    let columns: string[] | undefined;
    let rows: Array<Array<string | null>> | undefined;
    while (i < lines.length && !(lines[i] === '--' && HEADER.test(lines[i + 1] ?? ''))) {
      const line = lines[i];
      const copy = /^COPY (\S+) \((.*)\) FROM stdin;$/.exec(line);
      if (copy) {
        body.push(line);
        columns = copy[2].split(', ').map(unquote);
        rows = [];
        for (i++; i < lines.length && lines[i] !== '\\.'; i++) rows.push(lines[i].split('\t').map(unescapeCopy));
      } else if (!line.startsWith('SET ') && !line.startsWith('\\')) {
        body.push(line);
      }
      i++;
    }
    const sql = body.join('\n').trim();
    items.push({ name, type, table: tableOf(name, type, sql), sql, columns, rows });
  }
  // Sequences belong to the table that owns them (ALTER SEQUENCE … OWNED BY).
  const owner = new Map<string, string>();
  for (const it of items) if (it.type === 'SEQUENCE OWNED BY') owner.set(it.name, it.table);
  for (const it of items) {
    if (it.type === 'SEQUENCE') it.table = owner.get(it.name) ?? '';
    if (it.type === 'SEQUENCE SET') it.table = owner.get(it.name) ?? '';
    if (it.type === 'COMMENT' && it.name.startsWith('SEQUENCE ')) it.table = owner.get(it.name.slice(9)) ?? '';
  }
  return items;
}

/** Column definitions of a CREATE TABLE statement: name → the rest of its line. */
export function tableColumns(createSql: string): Map<string, string> {
  const cols = new Map<string, string>();
  const inner = createSql.slice(createSql.indexOf('(') + 1, createSql.lastIndexOf(')'));
  for (const raw of inner.split('\n')) {
    const line = raw.trim().replace(/,$/, '');
    if (!line || line.startsWith('CONSTRAINT ')) continue;
    const m = /^("[^"]+"|\S+) (.*)$/.exec(line);
    if (m) cols.set(unquote(m[1]), m[2]);
  }
  return cols;
}

/** Target table of a FOREIGN KEY constraint item. */
export function fkTarget(sql: string): string {
  return unquote(/REFERENCES (public\.[\w"]+)\(/.exec(sql)?.[1] ?? '');
}

/** A SQL literal for a COPY text value (null → NULL). */
export function sqlLiteral(value: string | null): string {
  if (value === null) return 'NULL';
  return "'" + value.replace(/'/g, "''") + "'";
}

/**
 * Writers of report rows as CSV, JSON and xlsx onto an HTTP answer, one row at a time.
 *
 * Flat formats (CSV, xlsx) follow Odoo's own export: a many2one is two columns, `field` (the
 * display name) and `field/.id` (the database id); False is an empty cell. JSON keeps the rows
 * as search_read answers them (a many2one is [id, name], empty values false).
 */
import { Writable } from 'node:stream';
import { once } from 'node:events';
import ExcelJS from 'exceljs';

export type ExportFormat = 'csv' | 'json' | 'xlsx';

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

type Cell = string | number | null;

/** The flat columns of `fields`: many2one fields (seen as [id, name] in the first row that has one) are split. */
export function flatColumns(fields: string[], many2one: Set<string>): string[] {
  return fields.flatMap((f) => (many2one.has(f) ? [f, `${f}/.id`] : [f]));
}

export function flatCells(row: Record<string, unknown>, fields: string[], many2one: Set<string>): Cell[] {
  return fields.flatMap((f): Cell[] => {
    const v = row[f];
    if (many2one.has(f)) return Array.isArray(v) ? [String(v[1]), Number(v[0])] : [null, null];
    if (v === false || v === null || v === undefined) return [null];
    // Float fields come as PyFloat (a Number object that keeps Python's 70.0 on the wire).
    return [typeof v === 'number' || v instanceof Number ? Number(v) : String(v)];
  });
}

/**
 * A CSV cell. Text starting with =, + or - gets a leading quote, as Odoo's CSV export does:
 * spreadsheet apps would run it as a formula, and names come from customers.
 */
function csvCell(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const text = /^[=+-]/.test(v) ? "'" + v : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Writes to `out`, waiting when it is full (a slow client slows the reading, not the memory). */
async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

export async function writeExport(
  out: Writable,
  format: ExportFormat,
  fields: string[],
  many2one: Set<string>,
  rows: AsyncIterable<Record<string, unknown>>,
  sheetName: string,
): Promise<void> {
  const columns = flatColumns(fields, many2one);
  if (format === 'json') {
    await write(out, '[');
    let first = true;
    for await (const row of rows) {
      await write(out, (first ? '\n' : ',\n') + JSON.stringify(row));
      first = false;
    }
    await write(out, '\n]\n');
    out.end();
    return;
  }
  if (format === 'csv') {
    await write(out, columns.map(csvCell).join(',') + '\r\n');
    for await (const row of rows) await write(out, flatCells(row, fields, many2one).map(csvCell).join(',') + '\r\n');
    out.end();
    return;
  }
  // exceljs's streaming writer: each committed row goes to the zip stream, none is kept.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow(columns).commit();
  for await (const row of rows) sheet.addRow(flatCells(row, fields, many2one)).commit();
  sheet.commit();
  await workbook.commit();
}

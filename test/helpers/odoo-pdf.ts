/**
 * QWeb PDF reports rendered by a real Odoo 17 (test/helpers/odoo.ts) and read back as text:
 * a logged-in web session, Odoo's own /report/pdf route (what the Print menu opens), and
 * poppler's pdftotext (.ci/run installs poppler-utils).
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { OdooServer } from './odoo';

/** A web session of login on odoo: its session_id cookie. */
export async function odooSession(odoo: OdooServer, login: string, password: string): Promise<string> {
  const res = await fetch(`${odoo.url}/web/session/authenticate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { db: odoo.db, login, password }, id: 1 }),
  });
  const body = (await res.json()) as { result?: { uid?: number }; error?: unknown };
  const cookie = /session_id=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
  if (!body.result?.uid || !cookie) throw new Error(`Odoo refused a session to ${login}: ${JSON.stringify(body.error)}`);
  return `session_id=${cookie[1]}`;
}

/**
 * The PDF of report reportName on ids, as /report/pdf/<report>/<ids> answers it to the
 * session (`options`: the report's data, as the Print action passes it).
 */
export async function reportPdf(odoo: OdooServer, session: string, reportName: string, ids: number[], options?: Record<string, unknown>): Promise<Buffer> {
  const query = options ? `?options=${encodeURIComponent(JSON.stringify(options))}` : '';
  const res = await fetch(`${odoo.url}/report/pdf/${reportName}/${ids.join(',')}${query}`, { headers: { cookie: session } });
  const bytes = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200 || res.headers.get('content-type') !== 'application/pdf') {
    throw new Error(`report ${reportName} answered ${res.status} ${res.headers.get('content-type')}: ${bytes.toString('utf8').slice(0, 500)}`);
  }
  if (process.env.REPORT_PDF_DIR) writeFileSync(`${process.env.REPORT_PDF_DIR}/${reportName}.pdf`, bytes);
  return bytes;
}

/**
 * The text of a PDF (pdftotext -layout), with runs of spaces (no-break ones included) made one
 * and zero-width ones (Odoo writes one after a number's minus sign) taken out.
 */
export function pdfText(pdf: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('pdftotext', ['-layout', '-', '-'], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout) =>
      (err ? reject(err) : resolve(stdout.replace(/[\u200b-\u200d\ufeff]/g, '').replace(/[ \u00a0\u202f]+/g, ' '))));
    child.stdin!.end(pdf);
  });
}

/**
 * Odoo's warning that Debian's wkhtmltopdf (built on an unpatched Qt) ignores the header and
 * footer switches: the environment's, printed with every PDF.
 */
export const unpatchedQtNotice = (logLine: string): boolean => / WARNING .*ir_actions_report: wkhtmltopdf: The switch .* unpatched qt/.test(logLine);

import { Request, Response, Router } from 'express';
import { AppContext } from '../context';
import { requireRecords, userEnv } from '../orm/access-path';
import { getRegistry } from '../orm/registry';
import { REPORT_EXPORTS, reportRows } from '../reports/exports';
import { CONTENT_TYPES, ExportFormat, writeExport } from '../reports/export-formats';
import { ApiLocals } from './auth';
import { ApiError } from './errors';

const FORMATS = Object.keys(CONTENT_TYPES) as ExportFormat[];
const PARAMS = new Set(['from', 'to', 'format']);

/** A day of the calendar, YYYY-MM-DD, or a 400 naming the parameter. */
function dayParam(req: Request, name: string): string | null {
  const v = req.query[name];
  if (v === undefined) return null;
  const ok = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(v + 'T00:00:00Z').toISOString().slice(0, 10) === v;
  if (!ok) throw new ApiError(400, 'invalid_request', `${name} must be a date YYYY-MM-DD`);
  return v;
}

/**
 * GET /reports/{name}?from=&to=&format=csv|xlsx|json: a report view's rows in a date range
 * (both ends inclusive), streamed as they are read, as the user may read them through
 * execute_kw. Bad parameters are refused before anything is read.
 */
export function reportsRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/reports/:name', async (req: Request, res: Response) => {
    const uid = (res.locals as ApiLocals).uid;
    const report = Object.hasOwn(REPORT_EXPORTS, req.params.name as string) ? REPORT_EXPORTS[req.params.name as string] : undefined;
    if (!report) throw new ApiError(404, 'not_found', `No report named ${String(req.params.name).slice(0, 64)}; reports: ${Object.keys(REPORT_EXPORTS).join(', ')}`);
    const unknown = Object.keys(req.query).filter((k) => !PARAMS.has(k));
    if (unknown.length) throw new ApiError(400, 'invalid_request', `Unknown parameter ${unknown[0].slice(0, 64)}; accepted: from, to, format`);
    const format = (req.query.format ?? 'json') as ExportFormat;
    if (typeof format !== 'string' || !FORMATS.includes(format)) throw new ApiError(400, 'invalid_request', `format must be one of ${FORMATS.join(', ')}`);
    const from = dayParam(req, 'from');
    const to = dayParam(req, 'to');
    if (from && to && from > to) throw new ApiError(400, 'invalid_request', 'from must not be after to');

    const registry = await getRegistry(ctx);
    if (!registry.has(report.model)) throw new ApiError(404, 'not_found', `The report ${req.params.name} is not available in this database`);
    // Refused before the answer starts: a 403, not a cut stream.
    await requireRecords(userEnv(ctx, ctx.db.knex, uid), report.model, 'read', []);
    const def = registry.model(report.model);
    const many2one = new Set(report.fields.filter((f) => def.fields.get(f)?.type === 'many2one'));
    const fileName = `${req.params.name}${from ? '_' + from : ''}${to ? '_' + to : ''}.${format}`;
    res.status(200).type(CONTENT_TYPES[format]).setHeader('content-disposition', `attachment; filename="${fileName}"`);
    await writeExport(res, format, report.fields, many2one, reportRows(ctx, uid, report, from, to), req.params.name as string);
  });
  return router;
}

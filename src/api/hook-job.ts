import { Request, Response, Router } from 'express';
import { AppContext } from '../context';
import { findJob } from '../jobs/registry';
import { runJob } from '../jobs/scheduler';
import { ApiError } from './errors';
import { hookBody, hookUid } from './hook-body';

/**
 * POST /hooks/job {"job": "<name>", "uid"}: Odoo's ir.cron (the bridge addon's scheduled
 * actions) runs a job now, under its advisory lock, once per period (src/jobs/scheduler.ts).
 * Answers when the run ends: its sidecar_job_run id and state (done, skipped, failed), never
 * the error's text (the run row keeps it).
 */
export function jobHooks(ctx: AppContext): Router {
  const router = Router();
  router.post('/job', async (req: Request, res: Response) => {
    const body = hookBody(req);
    const job = typeof body.job === 'string' ? findJob(body.job) : undefined;
    if (!job) throw new ApiError(404, 'unknown_job', 'No such job');
    const outcome = await runJob(ctx, job, { trigger: 'odoo', uid: await hookUid(ctx, body) });
    res.status(outcome.state === 'failed' ? 500 : 200).json({
      job: job.name, run_id: outcome.run_id, state: outcome.state, period: outcome.period,
      ...(outcome.state === 'done' ? { result: outcome.result } : {}),
      ...(outcome.state === 'skipped' ? { reason: outcome.reason } : {}),
    });
  });
  return router;
}

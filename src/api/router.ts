import express, { NextFunction, Request, Response, Router } from 'express';
import { AppContext } from '../context';
import { requireUser } from './auth';
import { ApiError, sendError } from './errors';
import { keepRequestContext } from '../request-context';
import { openapiRouter } from './openapi';
import { pointsRouter } from './points';
import { ordersRouter } from './orders';
import { previewRouter } from './preview';
import { reportsRouter } from './reports';

/**
 * REST /api/v1: JSON in and out, Odoo credentials, errors as {error: {code, message}}.
 * Each feature mounts its own router file here.
 */
export function apiRouter(ctx: AppContext): Router {
  const router = Router();
  router.use(openapiRouter());
  // Credentials first: nobody makes the sidecar read (or parse) a body without logging in.
  router.use(requireUser(ctx));
  router.use(keepRequestContext(express.json({ limit: ctx.config.maxBodyBytes })));
  // feature routers are mounted below
  router.use(pointsRouter(ctx));
  router.use(ordersRouter(ctx));
  router.use(previewRouter(ctx));
  router.use(reportsRouter(ctx));
  router.use((_req, _res, next) => next(new ApiError(404, 'not_found', 'No such endpoint')));
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => sendError(res, err));
  return router;
}

/**
 * Structured logs: one JSON object per line on stderr (pino), with the ISO time, the level's
 * name and, inside a request or job run, its id (`req_id`, src/request-context.ts). Levels are
 * LOG_LEVEL's: debug, info, warn, error, silent.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import pino from 'pino';
import { currentRequest, RequestInfo } from './request-context';

type Level = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const logger = pino(
  {
    level: 'info',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const request = currentRequest();
      return request ? { req_id: request.id } : {};
    },
  },
  // Synchronous: a line written just before the process ends (a failed start, a fatal error) is not lost.
  pino.destination({ fd: 2, sync: true }),
);

export function setLogLevel(level: Level): void {
  logger.level = level;
}

const emit = (level: Exclude<Level, 'silent'>) => (msg: string, extra?: Record<string, unknown>): void => {
  if (extra) logger[level](extra, msg);
  else logger[level](msg);
};

export const log = {
  debug: emit('debug'),
  info: emit('info'),
  warn: emit('warn'),
  error: emit('error'),
};

/**
 * The one line that sums a request up once its answer is sent: who called what, how it ended,
 * how long it took (the path without its query string, which may carry secrets).
 */
export function logRequest(info: RequestInfo, req: IncomingMessage, res: ServerResponse, ms: number): void {
  if (!logger.isLevelEnabled('info')) return;
  // Express rewrites req.url inside a mounted router; originalUrl is what the client asked.
  const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
  const q = url.indexOf('?');
  logger.info(
    {
      req_id: info.id,
      http_method: req.method,
      path: q >= 0 ? url.slice(0, q) : url,
      status: res.writableFinished ? res.statusCode : 'aborted',
      ms: Math.round(ms * 100) / 100,
      uid: info.uid,
      model: info.model,
      method: info.method,
    },
    'request',
  );
}

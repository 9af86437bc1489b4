/** A small levelled logger writing one line per event to stderr. */
type Level = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const rank: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
let threshold = rank.info;

export function setLogLevel(level: Level): void {
  threshold = rank[level];
}

function emit(level: Exclude<Level, 'silent'>, msg: string, extra?: Record<string, unknown>): void {
  if (rank[level] < threshold) return;
  const line = `${new Date().toISOString()} ${level.toUpperCase()} ${msg}` + (extra ? ' ' + JSON.stringify(extra) : '');
  process.stderr.write(line + '\n');
}

export const log = {
  debug: (msg: string, extra?: Record<string, unknown>) => emit('debug', msg, extra),
  info: (msg: string, extra?: Record<string, unknown>) => emit('info', msg, extra),
  warn: (msg: string, extra?: Record<string, unknown>) => emit('warn', msg, extra),
  error: (msg: string, extra?: Record<string, unknown>) => emit('error', msg, extra),
};

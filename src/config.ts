import Ajv, { JSONSchemaType } from 'ajv';
import cron from 'node-cron';

/** Everything the sidecar reads from its environment, validated once at start-up. */
export interface Config {
  /** PostgreSQL URL of an Odoo 17 database (attached) or an empty one (standalone). Absent: embedded PGlite. */
  databaseUrl: string | null;
  /** Folder of the embedded PGlite database, used only when databaseUrl is null. */
  dataDir: string;
  /** HTTP port. Odoo keeps 8069; the sidecar defaults to the next one. */
  port: number;
  host: string;
  /** The database name RPC clients must send; defaults to the PostgreSQL database's own name. */
  odooDb: string | null;
  /** Shared secret of the bridge addon's signed hooks. */
  hookSecret: string | null;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Largest request body accepted by the RPC and REST endpoints, in bytes. */
  maxBodyBytes: number;
  /** Run the scheduled jobs (node-cron) in this process. */
  jobsEnabled: boolean;
  /** When a partner whose spend fell keeps the higher membership tier: to the end of its period, or not at all. */
  membershipDowngrade: 'period_end' | 'immediate';
  /** A real Odoo (http(s)://host:port) that calls for models or methods the sidecar does not serve are forwarded to. */
  odooUrl: string | null;
  /** How long a forwarded call may take before it fails, in milliseconds. */
  odooTimeoutMs: number;
  /** Redis (redis://…) that events are published to from the outbox; null: no events written. */
  redisUrl: string | null;
  /** The Redis stream events are added to. */
  eventsStream: string;
  /** After SIGTERM: how long a replica keeps listening while it answers /readyz with 503 (the balancer's time to take it out). */
  shutdownDelayMs: number;
  /** After SIGTERM: how long the requests, transactions and job runs in flight may take before the process exits anyway. */
  shutdownGraceMs: number;
  /** node-cron expressions that replace jobs' own schedules, by job name (JOB_SCHEDULES, JSON). */
  jobSchedules: Record<string, string>;
}

interface RawEnv {
  DATABASE_URL?: string;
  DATA_DIR?: string;
  PORT?: number;
  HOST?: string;
  ODOO_DB?: string;
  HOOK_SECRET?: string;
  LOG_LEVEL?: Config['logLevel'];
  MAX_BODY_BYTES?: number;
  JOBS?: 'on' | 'off';
  MEMBERSHIP_DOWNGRADE?: 'period_end' | 'immediate';
  ODOO_URL?: string;
  ODOO_TIMEOUT_MS?: number;
  REDIS_URL?: string;
  EVENTS_STREAM?: string;
  SHUTDOWN_DELAY_MS?: number;
  SHUTDOWN_GRACE_MS?: number;
  JOB_SCHEDULES?: string;
}

const schema: JSONSchemaType<RawEnv> = {
  type: 'object',
  properties: {
    DATABASE_URL: { type: 'string', nullable: true, pattern: '^postgres(ql)?://' },
    DATA_DIR: { type: 'string', nullable: true, minLength: 1 },
    PORT: { type: 'integer', nullable: true, minimum: 0, maximum: 65535 },
    HOST: { type: 'string', nullable: true, minLength: 1 },
    ODOO_DB: { type: 'string', nullable: true, pattern: '^[A-Za-z0-9_.-]+$' },
    HOOK_SECRET: { type: 'string', nullable: true, minLength: 16 },
    LOG_LEVEL: { type: 'string', nullable: true, enum: ['debug', 'info', 'warn', 'error', 'silent'] },
    MAX_BODY_BYTES: { type: 'integer', nullable: true, minimum: 1024, maximum: 1073741824 },
    JOBS: { type: 'string', nullable: true, enum: ['on', 'off'] },
    MEMBERSHIP_DOWNGRADE: { type: 'string', nullable: true, enum: ['period_end', 'immediate'] },
    ODOO_URL: { type: 'string', nullable: true, pattern: '^https?://[^/?#\\s]+/?$' },
    ODOO_TIMEOUT_MS: { type: 'integer', nullable: true, minimum: 100, maximum: 600000 },
    REDIS_URL: { type: 'string', nullable: true, pattern: '^rediss?://' },
    EVENTS_STREAM: { type: 'string', nullable: true, pattern: '^[A-Za-z0-9_.:-]{1,128}$' },
    SHUTDOWN_DELAY_MS: { type: 'integer', nullable: true, minimum: 0, maximum: 600000 },
    SHUTDOWN_GRACE_MS: { type: 'integer', nullable: true, minimum: 0, maximum: 3600000 },
    JOB_SCHEDULES: { type: 'string', nullable: true, minLength: 2 },
  },
  required: [],
  additionalProperties: true,
};

const validate = new Ajv({ allErrors: false, coerceTypes: true }).compile(schema);

/** Thrown for a bad environment value; its message is the one line start-up prints. */
export class ConfigError extends Error {}

/** Reads and validates the environment. Empty strings count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  if (!validate(raw)) {
    const err = validate.errors![0];
    const variable = err.instancePath.replace(/^\//, '') || String(err.params && (err.params as { missingProperty?: string }).missingProperty);
    throw new ConfigError(`invalid configuration: ${variable}=${JSON.stringify(env[variable])} ${err.message}`);
  }
  const r = raw as RawEnv;
  return {
    databaseUrl: r.DATABASE_URL ?? null,
    dataDir: r.DATA_DIR ?? '.data/pglite',
    port: r.PORT ?? 8070,
    host: r.HOST ?? '0.0.0.0',
    odooDb: r.ODOO_DB ?? null,
    hookSecret: r.HOOK_SECRET ?? null,
    logLevel: r.LOG_LEVEL ?? 'info',
    maxBodyBytes: r.MAX_BODY_BYTES ?? 10 * 1024 * 1024,
    jobsEnabled: (r.JOBS ?? 'on') === 'on',
    membershipDowngrade: r.MEMBERSHIP_DOWNGRADE ?? 'period_end',
    odooUrl: r.ODOO_URL ? r.ODOO_URL.replace(/\/$/, '') : null,
    odooTimeoutMs: r.ODOO_TIMEOUT_MS ?? 30000,
    redisUrl: r.REDIS_URL ?? null,
    eventsStream: r.EVENTS_STREAM ?? 'sidecar:events',
    shutdownDelayMs: r.SHUTDOWN_DELAY_MS ?? 0,
    shutdownGraceMs: r.SHUTDOWN_GRACE_MS ?? 25000,
    jobSchedules: parseJobSchedules(r.JOB_SCHEDULES),
  };
}

/** JOB_SCHEDULES: a JSON object of job name to node-cron expression, e.g. {"points-sweep": "0 * * * * *"} (every minute). */
function parseJobSchedules(text: string | undefined): Record<string, string> {
  if (!text) return {};
  const fail = (why: string) => new ConfigError(`invalid configuration: JOB_SCHEDULES=${JSON.stringify(text)} ${why}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw fail('must be a JSON object of job name to cron expression');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw fail('must be a JSON object of job name to cron expression');
  for (const [name, expression] of Object.entries(value)) {
    if (typeof expression !== 'string' || !cron.validate(expression)) throw fail(`has an invalid cron expression for ${name}`);
  }
  return value as Record<string, string>;
}

import Ajv, { JSONSchemaType } from 'ajv';
import { AddressList } from './http/addresses';
import { DEFAULT_LIMITS } from './bounds';
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
  /** Bearer token /metrics asks for (null: no token needed). */
  metricsToken: string | null;
  /** Addresses or CIDR blocks allowed to read /metrics (empty: any address). */
  metricsAllow: string[];
  /** Reverse proxies whose X-Forwarded-For names the client (addresses or CIDR blocks). */
  trustedProxies: string[];
  /** Business limits on the numbers a request may carry (src/bounds.ts). */
  limits: BusinessLimits;
  /** The Odoo user scheduled jobs run as (Odoo's ir.cron user_id): 1, the superuser, by default. */
  jobsUid: number;
  /** Odoo's PostgreSQL role, given SELECT on the sidecar tables the bridge addon reads; null: the owner of Odoo's tables. */
  odooDbRole: string | null;
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
  /** Connections the process keeps to PostgreSQL at most (not the embedded database: it has one). */
  dbPoolMax: number;
  /** How long a request waits for a free connection before it is answered "unavailable" (503). */
  dbAcquireTimeoutMs: number;
}

/** The largest magnitudes accepted anywhere a number reaches SQL or the ledger (src/bounds.ts). */
export interface BusinessLimits {
  /** Points of one write or one card's balance. */
  points: number;
  /** Quantity of one order line. */
  quantity: number;
  /** Unit price or amount of one order line or order. */
  amount: number;
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
  METRICS_TOKEN?: string;
  METRICS_ALLOW?: string;
  TRUSTED_PROXIES?: string;
  MAX_POINTS?: number;
  MAX_QUANTITY?: number;
  MAX_AMOUNT?: number;
  JOBS_UID?: number;
  ODOO_DB_ROLE?: string;
  REDIS_URL?: string;
  EVENTS_STREAM?: string;
  DB_POOL_MAX?: number;
  DB_ACQUIRE_TIMEOUT_MS?: number;
  SHUTDOWN_DELAY_MS?: number;
  SHUTDOWN_GRACE_MS?: number;
  JOB_SCHEDULES?: string;
}

/** A comma-separated list of IPv4/IPv6 addresses or CIDR blocks. */
const ADDRESS_LIST = '^\\s*[0-9A-Fa-f:.]+(/\\d{1,3})?\\s*(,\\s*[0-9A-Fa-f:.]+(/\\d{1,3})?\\s*)*$';

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
    METRICS_TOKEN: { type: 'string', nullable: true, minLength: 16 },
    METRICS_ALLOW: { type: 'string', nullable: true, pattern: ADDRESS_LIST },
    TRUSTED_PROXIES: { type: 'string', nullable: true, pattern: ADDRESS_LIST },
    // Below 2^53 (exact integers in a double) and far below numeric's and float8's ranges.
    MAX_POINTS: { type: 'number', nullable: true, exclusiveMinimum: 0, maximum: 1e15 },
    MAX_QUANTITY: { type: 'number', nullable: true, exclusiveMinimum: 0, maximum: 1e12 },
    MAX_AMOUNT: { type: 'number', nullable: true, exclusiveMinimum: 0, maximum: 1e15 },
    JOBS_UID: { type: 'integer', nullable: true, minimum: 1, maximum: 2147483647 },
    ODOO_DB_ROLE: { type: 'string', nullable: true, pattern: '^[A-Za-z_][A-Za-z0-9_$-]{0,62}$' },
    REDIS_URL: { type: 'string', nullable: true, pattern: '^rediss?://' },
    EVENTS_STREAM: { type: 'string', nullable: true, pattern: '^[A-Za-z0-9_.:-]{1,128}$' },
    SHUTDOWN_DELAY_MS: { type: 'integer', nullable: true, minimum: 0, maximum: 600000 },
    SHUTDOWN_GRACE_MS: { type: 'integer', nullable: true, minimum: 0, maximum: 3600000 },
    JOB_SCHEDULES: { type: 'string', nullable: true, minLength: 2 },
    DB_POOL_MAX: { type: 'integer', nullable: true, minimum: 2, maximum: 1000 },
    DB_ACQUIRE_TIMEOUT_MS: { type: 'integer', nullable: true, minimum: 100, maximum: 600000 },
  },
  required: [],
  additionalProperties: true,
};

const validate = new Ajv({ allErrors: false, coerceTypes: true }).compile(schema);

/** The entries of an address list variable, each checked (a bad one stops start-up naming the variable). */
function addressList(variable: string, v: string | undefined): string[] {
  const entries = v ? v.split(',').map((a) => a.trim()).filter(Boolean) : [];
  try {
    new AddressList(entries);
  } catch (err) {
    throw new ConfigError(`invalid configuration: ${variable}=${JSON.stringify(v)} ${(err as Error).message}`);
  }
  return entries;
}

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
    metricsToken: r.METRICS_TOKEN ?? null,
    metricsAllow: addressList('METRICS_ALLOW', r.METRICS_ALLOW),
    trustedProxies: addressList('TRUSTED_PROXIES', r.TRUSTED_PROXIES),
    jobsUid: r.JOBS_UID ?? 1,
    limits: { points: r.MAX_POINTS ?? DEFAULT_LIMITS.points, quantity: r.MAX_QUANTITY ?? DEFAULT_LIMITS.quantity, amount: r.MAX_AMOUNT ?? DEFAULT_LIMITS.amount },
    odooDbRole: r.ODOO_DB_ROLE ?? null,
    redisUrl: r.REDIS_URL ?? null,
    eventsStream: r.EVENTS_STREAM ?? 'sidecar:events',
    shutdownDelayMs: r.SHUTDOWN_DELAY_MS ?? 0,
    shutdownGraceMs: r.SHUTDOWN_GRACE_MS ?? 25000,
    jobSchedules: parseJobSchedules(r.JOB_SCHEDULES),
    dbPoolMax: r.DB_POOL_MAX ?? 10,
    dbAcquireTimeoutMs: r.DB_ACQUIRE_TIMEOUT_MS ?? 10000,
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

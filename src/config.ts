import Ajv, { JSONSchemaType } from 'ajv';

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
  /** Odoo's PostgreSQL role, given SELECT on the sidecar tables the bridge addon reads; null: the owner of Odoo's tables. */
  odooDbRole: string | null;
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
  ODOO_DB_ROLE?: string;
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
    ODOO_DB_ROLE: { type: 'string', nullable: true, pattern: '^[A-Za-z_][A-Za-z0-9_$-]{0,62}$' },
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
    odooDbRole: r.ODOO_DB_ROLE ?? null,
  };
}

import { Knex } from 'knex';
import * as m0001 from './0001_standalone_schema';
import * as m0010 from './0010_sidecar_session';
import * as m0050 from './0050_points_ledger';
import * as m0051 from './0051_ledger_models';
import * as m0060 from './0060_membership_tiers';
import * as m0061 from './0061_membership_associate_index';
import * as m0040 from './0040_loyalty_usage_indexes';
import * as m0070 from './0070_catalogue_stamp_indexes';
import * as m0180 from './0180_session_upstream';
import * as m0120 from './0120_login_failures';
import * as m0140 from './0140_bridge_columns';
import * as m0141 from './0141_job_runs';
import * as m0145 from './0145_registry_rows';
import * as m0200 from './0200_event_outbox';
import * as m0201 from './0201_job_ticks';
import * as m0220 from './0220_report_views';
import * as m0221 from './0221_referral_program';
import * as m0222 from './0222_vendor_commission';

/**
 * The sidecar's migrations, in order. Listed here rather than found on disk so that they run
 * the same from TypeScript, a bundle or compiled JS. Each adds only what the sidecar owns, with
 * IF NOT EXISTS, so they are safe on a live Odoo database (attached mode).
 */
export const migrations: Array<[string, Knex.Migration]> = [
  ['0001_standalone_schema', m0001],
  ['0010_sidecar_session', m0010],
  ['0050_points_ledger', m0050],
  ['0051_ledger_models', m0051],
  ['0060_membership_tiers', m0060],
  ['0061_membership_associate_index', m0061],
  ['0040_loyalty_usage_indexes', m0040],
  ['0070_catalogue_stamp_indexes', m0070],
  ['0180_session_upstream', m0180],
  ['0120_login_failures', m0120],
  ['0140_bridge_columns', m0140],
  ['0141_job_runs', m0141],
  ['0145_registry_rows', m0145],
  ['0200_event_outbox', m0200],
  ['0201_job_ticks', m0201],
  ['0220_report_views', m0220],
  ['0221_referral_program', m0221],
  ['0222_vendor_commission', m0222],
];

/** By name, so the order never depends on where a merge put a line. */
const ordered = () => [...migrations].sort(([a], [b]) => a.localeCompare(b));

export const migrationSource: Knex.MigrationSource<[string, Knex.Migration]> = {
  getMigrations: async () => ordered(),
  getMigrationName: ([name]) => name,
  getMigration: async ([, migration]) => migration,
};

/**
 * Knex's bookkeeping tables are prefixed so they can never clash with an Odoo table
 * (Odoo's own tables never start with "sidecar_").
 */
export const migrationConfig: Knex.MigratorConfig = {
  migrationSource,
  tableName: 'sidecar_knex_migrations',
};

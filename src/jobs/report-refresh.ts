import { defineJob } from './registry';
import { refreshPromotionResult } from '../reports/refresh';

/**
 * Hourly: promotion_result, the materialized report, recomputed from the orders and the ledger
 * (its rows say when in refreshed_at; the job's runs say it too). Once per hour across replicas.
 */
defineJob({
  name: 'report-refresh',
  schedule: '5 * * * *',
  description: 'Refresh the promotion_result report from the orders and the points ledger',
  period: 'hour',
  touched: (result) => Number(result.rows ?? 0),
  async run(trx) {
    const done = await refreshPromotionResult(trx);
    return done ?? { skipped: 'no promotion_result view in this database' };
  },
});

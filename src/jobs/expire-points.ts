import { defineJob, sumOf } from './registry';
import { expireDueLots } from '../ledger/expire';
import { readableIds, userEnv } from '../orm/access-path';
import { progress } from './progress';

/**
 * Daily: lots past their last valid day lose what is left of them (expire moves). On a
 * PostgreSQL server each batch of cards commits on its own, so tills redeeming on those cards
 * wait for one batch at most; PGlite is one session: the run's own transaction does it all.
 */
defineJob({
  name: 'expire-points',
  schedule: '5 0 * * *',
  description: 'Expire loyalty points whose validity has run out',
  period: 'day',
  touched: sumOf('cards'),
  run: async (trx, app, now) => {
    // As the job's user (JOBS_UID): only the cards its record rules let it write.
    const env = userEnv(app, trx, app.config.jobsUid);
    return expireDueLots(trx, now, {
      uid: app.config.jobsUid,
      allowed: (ids) => readableIds(env, 'loyalty.card', ids),
      ownTransactions: app.db.engine === 'postgres' ? app.db.knex : undefined,
      progress: progress('expire-points'),
    });
  },
});

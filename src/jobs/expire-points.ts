import { defineJob, sumOf } from './registry';
import { expireDueLots } from '../ledger/expire';
import { readableIds, userEnv } from '../orm/access-path';

/** Daily: lots past their last valid day lose what is left of them (expire moves). */
defineJob({
  name: 'expire-points',
  schedule: '5 0 * * *',
  description: 'Expire loyalty points whose validity has run out',
  period: 'day',
  touched: sumOf('cards'),
  run: async (trx, app, now) => {
    // As the job's user (JOBS_UID): only the cards its record rules let it write.
    const env = userEnv(app, trx, app.config.jobsUid);
    return expireDueLots(trx, now, app.config.jobsUid, (ids) => readableIds(env, 'loyalty.card', ids));
  },
});

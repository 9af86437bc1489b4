import { defineJob, sumOf } from './registry';
import { expireDueLots } from '../ledger/expire';

/** Daily: lots past their last valid day lose what is left of them (expire moves). */
defineJob({
  name: 'expire-points',
  schedule: '5 0 * * *',
  description: 'Expire loyalty points whose validity has run out',
  period: 'day',
  touched: sumOf('cards'),
  run: async (trx, _app, now) => expireDueLots(trx, now),
});

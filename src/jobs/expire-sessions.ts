import { defineJob, sumOf } from './registry';
import { deleteExpiredSessions } from '../rpc/sessions';

/** Web sessions idle past their lifetime are already refused; this removes their rows. */
defineJob({
  name: 'expire-sessions',
  schedule: '17 3 * * *',
  description: 'delete web sessions (sidecar_session) idle for longer than the session lifetime',
  period: 'day',
  touched: sumOf('deleted'),
  async run(trx) {
    return { deleted: await deleteExpiredSessions(trx) };
  },
});

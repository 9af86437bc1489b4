import { defineJob, sumOf } from './registry';
import { issueReferralCodes } from '../models/referral-code';

/** Daily: partners without a referral code get one (the back-fill, and partners no hook brought). */
defineJob({
  name: 'referral-codes',
  schedule: '25 1 * * *',
  description: 'Issue a referral code to every partner that has none',
  period: 'day',
  touched: sumOf('issued'),
  run: async (trx) => ({ issued: await issueReferralCodes(trx, 'missing') }),
});

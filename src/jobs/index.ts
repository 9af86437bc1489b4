/** Loads every job file: each calls defineJob. Add one import per job file. */
import './membership';
export {};
import './expire-points';
import './points-sweep';
import './expire-sessions';
import './referral-codes';
import './cleanup';
import './report-refresh';

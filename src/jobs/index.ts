/** Loads every job file: each calls defineJob. Add one import per job file. */
export {};
import './expire-points';
import './points-sweep';
import './expire-sessions';

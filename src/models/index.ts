/**
 * Loads every model file: each registers its business methods with orm/methods.ts.
 * Add one import per model file.
 */
import './pos_order_preview';
import './membership-order-hook';
import './referral-order-hook';
import './membership-orm';
import './membership-primary-card';

export {};
import './pos-order-loyalty';
import './loyalty';
import './product-write';
import './res-partner-write';
import './referral-code';
import './vendor-commission';
import './loyalty-card-ledger';

/**
 * Loads every model file: each registers its business methods with orm/methods.ts.
 * Add one import per model file.
 */
import './pos_order_preview';

export {};
import './pos-order-loyalty';

/**
 * Loads every model file: each registers its business methods with orm/methods.ts.
 * Add one import per model file.
 */
export {};
import './pos-order-loyalty';

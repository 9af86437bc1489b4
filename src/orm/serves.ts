/**
 * What the sidecar answers itself, and so never forwards to an upstream Odoo (ODOO_URL).
 *
 * A model is the sidecar's when it was built for it: the models of the Odoo-17-shaped subset it
 * creates in a standalone database (the complete tables of src/db/standalone/tables.json:
 * loyalty, POS, membership, partners, products, taxes, users, companies, ir_model*) and its own
 * ledger models. Attached to an Odoo database its registry also lists Odoo's other models
 * (account.move, stock.picking …) read from ir_model; their Python computed fields and business
 * methods live only in Odoo, so with an upstream those calls go to Odoo. A call is served when
 * the model is the sidecar's and the method is one it implements (a model file's business
 * method, a generic ORM method) or a private one (which it refuses itself, as Odoo does).
 * Without an upstream nothing is forwarded and executeKw answers every call as before.
 */
import { AppContext } from '../context';
import tables from '../db/standalone/tables.json';
import { findMethod } from './methods';
import { getRegistry, tableOf } from './registry';
import { ORM_METHODS } from './orm_methods';

/** The sidecar's own models (its migrations add them to ir_model). */
const SIDECAR_MODELS = new Set(['loyalty.point.move', 'loyalty.point.history']);
const CARRIED_TABLES = new Set<string>(tables.complete);

export const carriesModel = (model: string): boolean => SIDECAR_MODELS.has(model) || CARRIED_TABLES.has(tableOf(model));

export function implementsMethod(model: string, method: string): boolean {
  return method.startsWith('_') || findMethod(model, method) !== undefined || Object.prototype.hasOwnProperty.call(ORM_METHODS, method);
}

export async function servesCall(app: AppContext, model: string, method: string): Promise<boolean> {
  if (!carriesModel(model) || !implementsMethod(model, method)) return false;
  return (await getRegistry(app)).has(model);
}

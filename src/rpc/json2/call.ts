/**
 * One JSON-2 call, as Odoo 19's WebJson2Controller.web_json_2_rpc binds it
 * (addons/rpc/controllers/json2.py), run through the same executeKw as every other transport:
 *
 * - an unknown model is a 404 "the model 'x' does not exist"; a private method an AccessError
 *   (403); a method the model does not have a 404 with get_public_method's text;
 * - `ids` (the records) and `context` are taken out of the body; every other key is a named
 *   argument of the method. An @api.model method called with ids is a 422, and so is a body
 *   that does not bind to the method's signature (inspect.Signature.bind's TypeError text);
 * - a recordset result is answered as its ids (create and copy: a list of ids).
 */
import { AccessError } from '../../errors';
import { AppContext } from '../../context';
import { executeKw } from '../../orm/call';
import { findMethod } from '../../orm/methods';
import { ORM_METHODS } from '../../orm/orm_methods';
import { pyRepr } from '../../orm/pyrepr';
import { getRegistry } from '../../orm/registry';
import { Signature } from '../../orm/signature';
import { notFound, unprocessable } from '../http-exceptions';

export interface Json2Call {
  uid: number;
  model: string;
  method: string;
  /** The body's `ids`, as sent (absent: none). */
  ids: unknown;
  /** The body's `context`, as sent (absent: the user's). */
  context: unknown;
  /** Every other key of the body: the method's named arguments. */
  kwargs: Record<string, unknown>;
}

/** Methods whose Odoo result is a recordset, which executeKw answers as XML-RPC does (one id for one record). */
const RETURNS_RECORDS = new Set(['create', 'copy']);

/** Python's truth of `ids`: whether the call names records. */
export const hasIds = (ids: unknown): boolean => !(ids === undefined || ids === null || ids === false || ids === 0 || (Array.isArray(ids) && ids.length === 0));

/** inspect.signature(func).bind(records, **kwargs): raises its TypeError text as a 422. */
function checkBinding(sig: Signature, kwargs: Record<string, unknown>): void {
  if (Object.prototype.hasOwnProperty.call(kwargs, 'self')) throw unprocessable("multiple values for argument 'self'");
  for (const p of sig.params) {
    if (!('default' in p) && !Object.prototype.hasOwnProperty.call(kwargs, p.name)) throw unprocessable(`missing a required argument: '${p.name}'`);
  }
  if (sig.varKeywords) return;
  const unknown = Object.keys(kwargs).find((k) => !sig.params.some((p) => p.name === k));
  if (unknown !== undefined) throw unprocessable(`got an unexpected keyword argument '${unknown}'`);
}

export async function callJson2(app: AppContext, call: Json2Call): Promise<unknown> {
  const { model, method, ids, kwargs } = call;
  if (!(await getRegistry(app)).has(model)) throw notFound(`the model ${pyRepr(model)} does not exist`);
  if (method.startsWith('_')) throw new AccessError(`Private methods (such as '${model}.${method}') cannot be called remotely.`);
  const custom = findMethod(model, method);
  const generic = custom || !Object.prototype.hasOwnProperty.call(ORM_METHODS, method) ? undefined : ORM_METHODS[method];
  if (!custom && !generic) throw notFound(`The method '${model}.${method}' does not exist`);
  if (generic) {
    if (!generic.records && hasIds(ids)) throw unprocessable(`cannot call ${model}.${method} with ids`);
    checkBinding(generic.sig, kwargs);
  }
  // Model files' methods take the records first when there are any, as api.call_kw hands them.
  const records = generic ? generic.records : hasIds(ids);
  const args = records ? [hasIds(ids) ? ids : []] : [];
  const keywords = call.context === undefined ? kwargs : { ...kwargs, context: call.context };
  const result = await executeKw(app, call.uid, model, method, args, keywords);
  return RETURNS_RECORDS.has(method) && typeof result === 'number' ? [result] : result;
}

/**
 * A JSON-2 call the sidecar does not serve, run on the upstream Odoo as the same user with the
 * same API key. Odoo 17 has no JSON-2, so the call travels as what JSON-2 itself stands for:
 * execute_kw(db, uid, key, model, method, [ids] or [], {**params, context}) over Odoo's
 * JSON-RPC, and Odoo's error comes back with the status and body Odoo 19 gives that exception
 * (Odoo 17's "Object x doesn't exist" and "The method … does not exist" become JSON-2's 404s).
 * (A record method called with no ids cannot be told from an @api.model method here: it gets
 * no ids, and Odoo 17's answer for that.)
 */
import { AppContext } from '../context';
import { hasIds, Json2Call } from '../rpc/json2/call';
import { statusOfErrorName, UpstreamFault } from '../rpc/json2/errors';
import { timed } from './forward';
import { notFound } from '../rpc/http-exceptions';
import { pyRepr } from '../orm/pyrepr';

export async function forwardJson2(ctx: AppContext, apiKey: string, call: Json2Call): Promise<unknown> {
  const upstream = ctx.upstream!;
  const kwargs = call.context === undefined ? call.kwargs : { ...call.kwargs, context: call.context };
  const args = [ctx.dbName, call.uid, apiKey, call.model, call.method, hasIds(call.ids) ? [call.ids] : [], kwargs];
  const answer = await timed('json2', call.model, call.method,
    () => upstream.jsonRpc('/jsonrpc', { service: 'object', method: 'execute_kw', args }), (a) => (a.error ? 'fault' : 'ok'));
  if (answer.error) {
    const data = answer.error.data ?? {};
    const name = data.name ?? 'builtins.Exception';
    if (name === 'odoo.exceptions.UserError' && data.message === `Object ${call.model} doesn't exist`) {
      throw notFound(`the model ${pyRepr(call.model)} does not exist`);
    }
    if (name === 'builtins.AttributeError' && data.message === `The method '${call.model}.${call.method}' does not exist`) throw notFound(data.message);
    throw new UpstreamFault(statusOfErrorName(name), {
      name,
      message: data.message ?? answer.error.message,
      arguments: data.arguments ?? [data.message ?? answer.error.message],
      context: data.context ?? {},
      debug: data.debug ?? '',
    });
  }
  return answer.result ?? null;
}

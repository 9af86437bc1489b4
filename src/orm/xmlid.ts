import { Env } from './env';

/** Odoo's env.ref(xmlid, raise_if_not_found=False).id: the record id an external id names, or false. */
export async function refId(env: Env, xmlid: string): Promise<number | false> {
  const [module, name] = xmlid.split('.', 2);
  const row = await env.cr('ir_model_data').where({ module, name }).first('res_id');
  return row?.res_id ?? false;
}

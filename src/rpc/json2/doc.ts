/**
 * Odoo 19's API discovery (addons/api_doc/controllers/api_doc.py), for the authenticated user:
 *
 *   GET /doc-bearer/index.json   (bearer)  and /doc/index.json   (web session)
 *       {modules: [installed modules], models: [{model, name, fields: {name: {string}}, methods: [names]}]}
 *       for every model the user may read, fields restricted to groups left out;
 *   GET /doc-bearer/<model>.json (bearer)  and /doc/<model>.json (web session)
 *       {model, name, doc: null, fields: fields_get() + {module}, methods: {name: {signature,
 *       parameters, api?, model, module}}}.
 *
 * Odoo gives these to members of "Technical Documentation" (api_doc.group_allow_doc), a group
 * Settings users (base.group_system) have; an Odoo 17 database has no such group, so the
 * sidecar asks for base.group_system. The methods are those the sidecar serves itself (the
 * generic ORM methods and the model files' business methods), with their Python signatures;
 * errors are JSON-2's (errors.ts).
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Router } from 'express';
import { AppContext } from '../../context';
import { AccessError } from '../../errors';
import { checkAccessRights } from '../../orm/access';
import { Env } from '../../orm/env';
import { translated } from '../../orm/fields';
import { fieldsGet, visibleTo } from '../../orm/fields_get';
import { listMethods } from '../../orm/methods';
import { ORM_METHODS } from '../../orm/orm_methods';
import { pyRepr } from '../../orm/pyrepr';
import { getRegistry } from '../../orm/registry';
import { Signature } from '../../orm/signature';
import { userInfo } from '../../orm/user';
import { encodeJson } from '../json-encode';
import { installedModules } from '../modules';
import { baseGroups } from '../session-info';
import { findSession, sessionIdFromCookie } from '../sessions';
import { notFound } from '../http-exceptions';
import { SessionExpired } from '../errors';
import { sendNotFoundPage } from '../not-found';
import { json2Caller, NoSuchDatabase } from './auth';
import { json2Error } from './errors';

const envFor = (ctx: AppContext, uid: number): Env => ({ cr: ctx.db.knex as unknown as Env['cr'], uid, context: {}, app: ctx });

async function requireDocGroup(ctx: AppContext, uid: number): Promise<void> {
  if (!(await baseGroups(ctx.db.knex, uid)).has('group_system')) {
    throw new AccessError('This page is only accessible to Technical Documentation users.');
  }
}

/** The methods the sidecar answers for a model, sorted as Python's dir() lists them. */
const methodsOf = (model: string): string[] => [...new Set([...Object.keys(ORM_METHODS), ...listMethods(model)])].sort();

async function docIndex(ctx: AppContext, uid: number): Promise<unknown> {
  await requireDocGroup(ctx, uid);
  const env = envFor(ctx, uid);
  const [registry, user, modules] = await Promise.all([getRegistry(ctx), userInfo(env), installedModules(ctx.db.knex)]);
  const models = [];
  for (const m of [...registry.models.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!(await checkAccessRights(env, m.name, 'read', false))) continue;
    const fields: Record<string, { string: string | false }> = {};
    for (const f of m.fields.values()) if (visibleTo(f, user.groups, user.superuser)) fields[f.name] = { string: translated(f.label, 'en_US') };
    models.push({ model: m.name, name: translated(m.description, 'en_US'), fields, methods: methodsOf(m.name) });
  }
  return { modules, models };
}

/** The JSON reflection of a method's signature (api_doc's Signature.as_dict). */
function methodDoc(model: string, method: string): Record<string, unknown> {
  const generic = Object.prototype.hasOwnProperty.call(ORM_METHODS, method) ? ORM_METHODS[method] : undefined;
  if (!generic) return { signature: '(*args, **kwargs)', parameters: { args: { kind: 'VAR_POSITIONAL' }, kwargs: { kind: 'VAR_KEYWORD' } }, model, module: 'loyalty_sidecar' };
  const sig: Signature = generic.sig;
  const parameters: Record<string, Record<string, unknown>> = {};
  const text: string[] = [];
  for (const p of sig.params) {
    parameters[p.name] = 'default' in p ? { default: p.default } : {};
    text.push('default' in p ? `${p.name}=${pyRepr(p.default)}` : p.name);
  }
  if (sig.varKeywords) {
    parameters[sig.varKeywords] = { kind: 'VAR_KEYWORD' };
    text.push(`**${sig.varKeywords}`);
  }
  return { signature: `(${text.join(', ')})`, parameters, ...(generic.records ? {} : { api: ['model'] }), model: 'core', module: 'core' };
}

async function docModel(ctx: AppContext, uid: number, model: string): Promise<unknown> {
  await requireDocGroup(ctx, uid);
  const registry = await getRegistry(ctx);
  if (!registry.has(model)) throw notFound('The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.');
  const env = envFor(ctx, uid);
  await checkAccessRights(env, model, 'read');
  const described = await fieldsGet(env, model, null, null);
  const { rows } = await ctx.db.knex.raw(
    `select distinct on (f.name) f.name, d.module from ir_model_fields f
       join ir_model_data d on d.model = 'ir.model.fields' and d.res_id = f.id
      where f.model = ? order by f.name, d.id`, [model]);
  const moduleOf = new Map<string, string>(rows.map((r: { name: string; module: string }) => [r.name, r.module]));
  const fields: Record<string, unknown> = {};
  for (const [name, desc] of Object.entries(described)) fields[name] = { ...desc, module: moduleOf.get(name) ?? null };
  const methods: Record<string, unknown> = {};
  for (const method of methodsOf(model)) methods[method] = methodDoc(model, method);
  return { model, name: translated(registry.model(model).description, 'en_US'), doc: null, fields, methods };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = encodeJson(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** auth='user': the web session's user, or SessionExpired. */
async function sessionUser(ctx: AppContext, req: IncomingMessage): Promise<number> {
  const session = await findSession(ctx.db.knex, sessionIdFromCookie(req.headers.cookie));
  if (!session || session.db !== ctx.dbName) throw new SessionExpired();
  return session.uid;
}

export function docRouter(ctx: AppContext): Router {
  const router = Router();
  const serve = (who: (req: IncomingMessage) => Promise<number>, answer: (uid: number, model?: string) => Promise<unknown>) =>
    async (req: IncomingMessage & { params?: Record<string, string> }, res: ServerResponse) => {
      try {
        const uid = await who(req);
        send(res, 200, await answer(uid, req.params?.model));
      } catch (err) {
        if (err instanceof NoSuchDatabase) return sendNotFoundPage(res);
        const e = json2Error(err);
        send(res, e.status, e.body, e.headers);
      }
    };
  const bearer = async (req: IncomingMessage) => (await json2Caller(ctx, req)).uid;
  const session = (req: IncomingMessage) => sessionUser(ctx, req);
  router.get('/doc-bearer/index.json', serve(bearer, (uid) => docIndex(ctx, uid)));
  router.get('/doc/index.json', serve(session, (uid) => docIndex(ctx, uid)));
  router.get('/doc-bearer/:model.json', serve(bearer, (uid, model) => docModel(ctx, uid, model!)));
  router.get('/doc/:model.json', serve(session, (uid, model) => docModel(ctx, uid, model!)));
  return router;
}

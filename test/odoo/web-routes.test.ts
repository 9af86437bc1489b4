/**
 * Odoo 17's web session and dataset routes: the sidecar's answers compared with a real Odoo
 * 17's for the same requests on the same database, as admin and as an unprivileged user.
 */
import { expect } from 'chai';
import { describeOdoo } from '../helpers/odoo';
import { OdooFront, startOdooFront } from '../helpers/odoo-front';
import { jsonCall, jsonPost } from '../rpc/helpers';

type Answer = { status: number; json?: Record<string, unknown>; setCookie: string[]; headers: Headers };

describeOdoo("web routes: the sidecar answers Odoo 17's web session and dataset routes as Odoo does", function () {
  let front: OdooFront;
  let db: string;
  let servers: Array<[string, string]>;
  before(async () => {
    front = await startOdooFront();
    db = front.database.name;
    servers = [['odoo', front.odoo.url], ['sidecar', front.plain.url]];
  });
  after(async () => front?.close());

  /** The same request to Odoo and to the sidecar, each with its own session of `login` (or none). */
  async function both(path: string, params: unknown, login?: string): Promise<Record<string, Answer>> {
    const out: Record<string, Answer> = {};
    for (const [name, url] of servers) {
      let cookie: string | undefined;
      if (login) {
        const auth = await jsonCall(url, '/web/session/authenticate', { db, login, password: login });
        cookie = auth.setCookie.find((c) => c.startsWith('session_id='))!.split(';')[0];
      }
      out[name] = await jsonCall(url, path, params, cookie ? { cookie } : {});
    }
    return out;
  }
  const error = (a: Answer) => {
    const e = a.json!.error as { code: number; data: { name: string; message: string } } | undefined;
    return e && { code: e.code, name: e.data.name, message: e.data.message };
  };

  it('version_info and get_lang_list (auth none) answer the same', async () => {
    for (const path of ['/web/webclient/version_info', '/web/session/get_lang_list']) {
      const got = await both(path, {});
      expect(got.sidecar.json, path).to.deep.equal(got.odoo.json);
    }
  });

  it('check: None with a session, session expired without one', async () => {
    for (const login of ['admin', 'demo']) {
      const got = await both('/web/session/check', {}, login);
      expect(got.sidecar.json).to.deep.equal({ jsonrpc: '2.0', id: 1 }).and.deep.equal(got.odoo.json);
    }
    const none = await both('/web/session/check', {});
    expect(error(none.sidecar)).to.deep.equal(error(none.odoo)).and.include({ code: 100 });
  });

  it('modules: the installed modules', async () => {
    const got = await both('/web/session/modules', {}, 'demo');
    expect([...(got.sidecar.json!.result as string[])].sort()).to.deep.equal([...(got.odoo.json!.result as string[])].sort());
  });

  it("get_session_info: Odoo's values for every key the sidecar answers", async () => {
    for (const login of ['admin', 'demo']) {
      const got = await both('/web/session/get_session_info', {}, login);
      const [mine, odoo] = [got.sidecar.json!.result as Record<string, unknown>, got.odoo.json!.result as Record<string, unknown>];
      for (const key of ['uid', 'is_system', 'is_admin', 'db', 'server_version', 'server_version_info', 'support_url', 'name', 'username', 'partner_display_name', 'partner_id', 'home_action_id']) {
        expect(mine[key], `${login} ${key}`).to.deep.equal(odoo[key]);
      }
    }
  });

  it('call_kw and call_button: results, KeyError for an unknown model, private and unknown methods', async () => {
    const calls: Array<[string, unknown]> = [
      ['/web/dataset/call_kw/loyalty.card/read', { model: 'loyalty.card', method: 'read', args: [[20]], kwargs: { fields: ['code', 'points'] } }],
      ['/web/dataset/call_kw', { model: 'no.such.model', method: 'read', args: [[1]], kwargs: {} }],
      ['/web/dataset/call_kw/res.partner/_compute_display_name', { model: 'res.partner', method: '_compute_display_name', args: [[3]], kwargs: {} }],
      ['/web/dataset/call_kw/res.partner/no_such_method', { model: 'res.partner', method: 'no_such_method', args: [[3]], kwargs: {} }],
      ['/web/dataset/call_button', { model: 'res.partner', method: 'read', args: [[3], ['name']], kwargs: {} }],
      ['/web/dataset/call_button', { model: 'loyalty.program', method: 'write', args: [[15], { name: 'x' }], kwargs: {} }],
    ];
    for (const [path, params] of calls) {
      const got = await both(path, params, 'demo');
      if (got.odoo.json!.error) expect(error(got.sidecar), path).to.deep.equal(error(got.odoo));
      else expect(got.sidecar.json, path).to.deep.equal(got.odoo.json);
    }
  });

  it('logout redirects (303) to a local path; unknown routes are a 404 page', async () => {
    for (const [, url] of servers) {
      const res = await fetch(`${url}/web/session/logout?redirect=https://elsewhere.example/web%3Fx%3D1`, { redirect: 'manual' });
      expect(res.status).to.equal(303);
      expect(new URL(res.headers.get('location')!, url).host).to.equal(new URL(url).host);
      const missing = await jsonPost(url, '/no/such/route', '{}');
      expect([missing.status, missing.headers.get('content-type')?.replace(/; ?charset=utf-8/, '')]).to.deep.equal([404, 'text/html']);
    }
  });
});

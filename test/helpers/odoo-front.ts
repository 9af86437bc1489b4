/**
 * A real Odoo 17 and a sidecar on the same database copy, for the suites that compare the
 * sidecar's answers with Odoo's own or forward calls to it: the sidecar is attached (it adds
 * only its own tables), optionally with Odoo as its upstream (ODOO_URL).
 */
import { loadConfig } from '../../src/config';
import { RunningSidecar, startSidecar } from '../../src/server';
import { freshOdooDatabase, OdooDatabase, OdooServer, startOdoo } from './odoo';

export interface OdooFront {
  database: OdooDatabase;
  odoo: OdooServer;
  /** Attached to Odoo's database, with Odoo as its upstream. */
  proxy: RunningSidecar;
  /** Attached to the same database, without an upstream. */
  plain: RunningSidecar;
  close(): Promise<void>;
}

export async function startOdooFront(): Promise<OdooFront> {
  const database = await freshOdooDatabase();
  const odoo = await startOdoo(database.name);
  const base = { ...loadConfig({}), databaseUrl: database.url, odooDb: database.name, port: 0, host: '127.0.0.1', logLevel: 'silent' as const, jobsEnabled: false };
  const plain = await startSidecar(base);
  const proxy = await startSidecar({ ...base, odooUrl: odoo.url, odooTimeoutMs: 30000 });
  return {
    database, odoo, proxy, plain,
    close: async () => {
      await proxy.close();
      await plain.close();
      await odoo.stop();
      await database.drop();
    },
  };
}

/** The value of the upstream call counter for one model (all protocols and outcomes) in a /metrics text. */
export async function upstreamCalls(url: string, model: string): Promise<number> {
  const text = await (await fetch(url + '/metrics')).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('sidecar_upstream_calls_total{') && line.includes(`model="${model}"`)) total += Number(line.split(' ').pop());
  }
  return total;
}

/**
 * Calls the ORM as execute_kw does (one transaction per call) on a sidecar attached to a
 * fresh copy of the Odoo dump, and reads the database behind it to check what a call left.
 */
import { startTestSidecar, TestSidecar } from '../helpers/sidecar';
import { executeKw } from '../../src/orm/call';
import { OdooError } from '../../src/errors';

export interface Harness {
  sidecar: TestSidecar;
  call(model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>, uid?: number): Promise<unknown>;
  /** The error a call raises (fails the test when it succeeds). */
  fails(model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>, uid?: number): Promise<OdooError>;
  rows<T = Record<string, unknown>>(sql: string, bindings?: unknown[]): Promise<T[]>;
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

export async function harness(): Promise<Harness> {
  const sidecar = await startTestSidecar('odoo17');
  const call: Harness['call'] = (model, method, args, kwargs = {}, uid = 2) => executeKw(sidecar.ctx, uid, model, method, args, kwargs);
  const rows: Harness['rows'] = async (sql, bindings = []) => (await sidecar.ctx.db.knex.raw(sql, bindings as never[])).rows;
  return {
    sidecar,
    call,
    rows,
    async fails(model, method, args, kwargs = {}, uid = 2) {
      try {
        await call(model, method, args, kwargs, uid);
      } catch (err) {
        if (err instanceof OdooError) return err;
        throw err;
      }
      throw new Error(`${model}.${method} succeeded where an error was expected`);
    },
    async count(table) {
      return Number((await rows<{ n: string }>(`select count(*) as n from "${table}"`))[0].n);
    },
    close: () => sidecar.close(),
  };
}

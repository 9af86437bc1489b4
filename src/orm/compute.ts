import { Scope } from './domain';
import { ModelDef } from './registry';

/**
 * Non-stored computed fields the sidecar answers on read. Model files register a compute
 * per field; it returns raw values per id (many2one: id or null, x2many: ids, scalars as
 * plain values), which read.ts shapes for the wire like any column.
 * A non-stored field nobody computes reads as its empty value.
 */
export type RawValues = Map<number, unknown>;
export type Compute = (scope: Scope, ids: number[], model: ModelDef) => Promise<RawValues>;

const computes = new Map<string, Compute>();

export function defineCompute(model: string, field: string, fn: Compute): void {
  computes.set(`${model}.${field}`, fn);
}

/** Several fields computed together (one query) register the same function per field. */
export function findCompute(model: string, field: string): Compute | undefined {
  return computes.get(`${model}.${field}`) ?? computes.get(`*.${field}`);
}

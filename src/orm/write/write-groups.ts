import { Env } from '../env';

/**
 * Model write overrides that only change the context a write runs in, possibly per group of
 * records (loyalty.program writes its rewards with the program's type in the context and skips
 * the reward check when the result keeps rewards). `splitWrite(model, fn)`: `fn` returns the
 * groups to write separately, each with the context keys to add, or null to write as is.
 */
export interface WriteGroup {
  ids: number[];
  context: Record<string, unknown>;
}

export type WriteSplitter = (env: Env, ids: number[], vals: Record<string, unknown>) => Promise<WriteGroup[] | null>;

const splitters = new Map<string, WriteSplitter>();

export function splitWrite(model: string, fn: WriteSplitter): void {
  splitters.set(model, fn);
}

export function findWriteSplitter(model: string): WriteSplitter | undefined {
  return splitters.get(model);
}

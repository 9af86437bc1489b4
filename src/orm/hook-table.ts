import { Env } from './env';

/**
 * What a create or write did, as hooks see it: the records' model-level event.
 * `fields` are the field names given in the values (after defaults on create).
 */
export interface WriteEvent {
  kind: 'create' | 'write';
  fields: ReadonlySet<string>;
}

export type RecordHook = (env: Env, ids: number[], event: WriteEvent) => Promise<void>;

/**
 * Per-model hooks that fire on create (always) or on a write touching one of their fields,
 * in registration order. Shared by stored computes (computes.ts) and constraints
 * (constraints.ts), which differ only in when the ORM runs them.
 */
export class HookTable {
  private readonly byModel = new Map<string, Array<{ fields: ReadonlySet<string> | '*'; hook: RecordHook }>>();

  add(model: string, fields: string[] | '*', hook: RecordHook): void {
    const list = this.byModel.get(model) ?? [];
    list.push({ fields: fields === '*' ? '*' : new Set(fields), hook });
    this.byModel.set(model, list);
  }

  async run(env: Env, model: string, ids: number[], event: WriteEvent): Promise<void> {
    if (!ids.length) return;
    for (const { fields, hook } of this.byModel.get(model) ?? []) {
      if (event.kind === 'create' || fields === '*' || [...fields].some((f) => event.fields.has(f))) {
        await hook(env, ids, event);
      }
    }
  }
}

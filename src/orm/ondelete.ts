import { Env } from './env';

/**
 * Odoo's @api.ondelete checks and unlink overrides, for the models the sidecar deletes from.
 * `beforeUnlink(model, hook)` runs before the rows go. A hook may refuse (throw a UserError),
 * spare records it handled otherwise (pos_loyalty archives a reward used on POS lines instead
 * of deleting it), and return a follow-up that runs once the rows are gone (the program of a
 * deleted reward must keep at least one reward).
 */
export interface UnlinkPlan {
  spare?: number[];
  after?: () => Promise<void>;
}

export type UnlinkHook = (env: Env, ids: number[]) => Promise<void | UnlinkPlan>;

const hooks = new Map<string, UnlinkHook[]>();

export function beforeUnlink(model: string, hook: UnlinkHook): void {
  hooks.set(model, [...(hooks.get(model) ?? []), hook]);
}

export async function runBeforeUnlink(env: Env, model: string, ids: number[]): Promise<{ spare: Set<number>; after: Array<() => Promise<void>> }> {
  const spare = new Set<number>();
  const after: Array<() => Promise<void>> = [];
  for (const hook of hooks.get(model) ?? []) {
    const plan = await hook(env, ids.filter((id) => !spare.has(id)));
    plan?.spare?.forEach((id) => spare.add(id));
    if (plan?.after) after.push(plan.after);
  }
  return { spare, after };
}

/**
 * Points written to loyalty.card through execute_kw (a manual edit from an RPC client) go
 * into the ledger in the same transaction, as an adjust move, so points = sum(moves) holds
 * after every call and not only after the next sweep. The sidecar's own ledger writes go
 * through src/ledger directly and never reach this hook.
 */
import { afterWrite } from '../orm/computes';
import { recordOutsideChange } from '../ledger/reconcile';

afterWrite('loyalty.card', ['points'], async (env, ids) => {
  const now = new Date();
  // The change is a request's number like any other: within MAX_POINTS, or the call is refused.
  for (const id of ids) await recordOutsideChange(env.cr, id, { uid: env.uid, now, maxPoints: env.app.config.limits.points });
});

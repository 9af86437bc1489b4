import { Request, Response, Router } from 'express';
import { AppContext } from '../context';
import { writeLedger } from '../ledger/ledger';
import { cardBalance } from '../ledger/balance';
import { LedgerWrite } from '../ledger/types';
import { metrics } from '../metrics/registry';
import { ApiLocals } from './auth';
import { ApiError } from './errors';
import { idempotentWrite } from './idempotency';
import { asApiError } from './ledger-errors';
import { requireAccess } from './model-access';
import { earnSchema, redeemSchema } from './schemas';
import { validator } from './validate';

const parseEarn = validator(earnSchema);
const parseRedeem = validator(redeemSchema);

/** POST /points/earn, POST /points/redeem, GET /cards/:id/balance. */
export function pointsRouter(ctx: AppContext): Router {
  const router = Router();

  /** A write of one card's points: validate, check rights, write once per Idempotency-Key, count. */
  const ledgerWrite = <T>(path: string, parse: (body: unknown) => T, toWrite: (body: T, uid: number) => Omit<LedgerWrite, 'now'> & { metricKind: string }) =>
    router.post(path, async (req: Request, res: Response) => {
      const uid = (res.locals as ApiLocals).uid;
      const { metricKind, ...write } = toWrite(parse(req.body), uid);
      await requireAccess(ctx, uid, 'loyalty.card', 'write');
      const answer = await idempotentWrite(ctx, req, uid, async (cr) => {
        const r = await writeLedger(cr, { ...write, now: new Date() });
        return { status: 201, body: { card_id: r.cardId, points: r.balance, move_ids: r.moveIds } };
      }).catch((err) => { throw asApiError(err); });
      if (!answer.replayed) metrics.pointsMoved.inc({ kind: metricKind }, Math.abs(write.entries[0].points));
      res.status(answer.status).json(answer.body);
    });

  ledgerWrite('/points/earn', parseEarn, (body, uid) => ({
    metricKind: 'adjust',
    cardId: body.card_id,
    entries: [{ kind: 'adjust', points: body.points }],
    origin: { description: body.reason, reason: body.reason },
    uid,
    requireFunds: body.points < 0,
  }));

  ledgerWrite('/points/redeem', parseRedeem, (body, uid) => ({
    metricKind: 'redeem',
    cardId: body.card_id,
    entries: [{ kind: 'redeem', points: -body.points }],
    origin: { description: `Redeemed: ${body.reference}`, reference: body.reference },
    uid,
    requireFunds: true,
  }));

  router.get('/cards/:id/balance', async (req: Request, res: Response) => {
    const uid = (res.locals as ApiLocals).uid;
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || id < 1) throw new ApiError(400, 'invalid_request', 'card id must be a positive integer');
    await requireAccess(ctx, uid, 'loyalty.card', 'read');
    res.json(await cardBalance(ctx.db.knex, id, new Date()).catch((err) => { throw asApiError(err); }));
  });

  return router;
}

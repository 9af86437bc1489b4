import { Request, Response, Router } from 'express';
import { AppContext } from '../context';
import { writeLedger } from '../ledger/ledger';
import { cardBalance } from '../ledger/balance';
import { LedgerWrite } from '../ledger/types';
import { metrics } from '../metrics/registry';
import { requireRecords, userEnv } from '../orm/access-path';
import { ApiLocals } from './auth';
import { idempotentWrite } from './idempotency';
import { asApiError } from './ledger-errors';
import { checkLimits, pathId } from './limits';
import { earnSchema, redeemSchema } from './schemas';
import { validator } from './validate';

const parseEarn = validator(earnSchema);
const parseRedeem = validator(redeemSchema);

/** POST /points/earn, POST /points/redeem, GET /cards/:id/balance. */
export function pointsRouter(ctx: AppContext): Router {
  const router = Router();

  /**
   * A write of one card's points: validate, write once per Idempotency-Key as the user (access
   * rights and record rules on the card, under its lock), count.
   */
  const ledgerWrite = <T>(path: string, parse: (body: unknown) => T, toWrite: (body: T, uid: number) => Omit<LedgerWrite, 'now'> & { metricKind: string }) =>
    router.post(path, async (req: Request, res: Response) => {
      const uid = (res.locals as ApiLocals).uid;
      const { metricKind, ...write } = toWrite(parse(req.body), uid);
      checkLimits(ctx, [['points', 'points', write.entries[0].points]]);
      const answer = await idempotentWrite(ctx, req, uid, async (cr) => {
        await requireRecords(userEnv(ctx, cr, uid), 'loyalty.card', 'write', [write.cardId]);
        const r = await writeLedger(cr, { ...write, now: new Date(), maxPoints: ctx.config.limits.points });
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
    const id = pathId(String(req.params.id), 'card');
    try {
      await requireRecords(userEnv(ctx, ctx.db.knex, uid), 'loyalty.card', 'read', [id]);
      res.json(await cardBalance(ctx.db.knex, id, new Date()));
    } catch (err) {
      throw asApiError(err);
    }
  });

  return router;
}

import { UserError } from '../errors';

/** A redeem larger than the card's balance: refused, nothing written (REST answers 409). */
export class InsufficientPoints extends UserError {
  constructor(readonly cardId: number, readonly balance: number, readonly requested: number) {
    super(`There are not enough points on card ${cardId}: ${balance} available, ${requested} requested.`);
  }
}

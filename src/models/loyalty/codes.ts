import { randomUUID } from 'node:crypto';

/**
 * loyalty.card._generate_code: '044' followed by a slice of a random UUID, e.g.
 * "0446-fd7c-4415" (barcode-friendly; pos_loyalty's promo_barcode uses the same generator).
 */
export function generateCardCode(): string {
  return '044' + randomUUID().slice(7, -18);
}

/**
 * The signed-hook scheme shared with the bridge addon (README "Signed hooks"):
 *
 *   X-Sidecar-Timestamp: <unix seconds, integer>
 *   X-Sidecar-Signature: sha256=<hex HMAC-SHA256(HOOK_SECRET, "<timestamp>.<raw body bytes>")>
 *
 * The timestamp is inside the signed material, so a captured hook cannot be replayed outside
 * the window (HOOK_WINDOW_SECONDS either side of the receiver's clock); inside it, every hook
 * is idempotent on the sidecar's side (an order is processed once, a partner gets one card).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a hook's timestamp may be from the receiver's clock, in seconds. */
export const HOOK_WINDOW_SECONDS = 300;

/** The signature header's value for body sent at timestamp (seconds), as the addon computes it. */
export function signHook(secret: string, timestamp: number, body: Buffer | string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

export type HookVerdict = 'ok' | 'bad_signature' | 'stale';

/** Whether a timestamp header is well-formed and inside the window: checked before the body is read. */
export function hookTimestampFresh(timestampHeader: string | undefined, nowMs = Date.now()): boolean {
  if (!/^\d{1,12}$/.test(timestampHeader ?? '')) return false;
  return Math.abs(nowMs / 1000 - Number(timestampHeader)) <= HOOK_WINDOW_SECONDS;
}

/**
 * Checks a hook: 'stale' when the timestamp is missing, malformed or outside the window,
 * 'bad_signature' when the signature does not match, 'ok' otherwise. Constant-time compare.
 */
export function verifyHook(secret: string, body: Buffer, timestampHeader: string | undefined, signatureHeader: string | undefined, nowMs = Date.now()): HookVerdict {
  if (!hookTimestampFresh(timestampHeader, nowMs)) return 'stale';
  const timestamp = Number(timestampHeader);
  const m = /^sha256=([0-9a-f]{64})$/i.exec(signatureHeader ?? '');
  if (!m) return 'bad_signature';
  const expected = Buffer.from(signHook(secret, timestamp, body).slice('sha256='.length), 'hex');
  return timingSafeEqual(expected, Buffer.from(m[1], 'hex')) ? 'ok' : 'bad_signature';
}

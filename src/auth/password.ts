/**
 * passlib's pbkdf2-sha512 format, the one Odoo 17 stores in res_users.password:
 *   $pbkdf2-sha512$<rounds>$<salt>$<checksum>
 * salt and checksum in passlib's "ab64" base64 ('.' for '+', no padding).
 */
import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);
const PREFIX = '$pbkdf2-sha512$';
/** Odoo 17's default cost. */
export const DEFAULT_ROUNDS = 600_000;

export const ab64Decode = (s: string): Buffer => Buffer.from(s.replace(/\./g, '+'), 'base64');
export const ab64Encode = (b: Buffer): string => b.toString('base64').replace(/=+$/, '').replace(/\+/g, '.');

export function isPasslibHash(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/** Hashes a password the way Odoo 17 stores it. */
export async function hashPassword(password: string, rounds = DEFAULT_ROUNDS): Promise<string> {
  const salt = randomBytes(16);
  const checksum = await pbkdf2Async(Buffer.from(password, 'utf8'), salt, rounds, 64, 'sha512');
  return `${PREFIX}${rounds}$${ab64Encode(salt)}$${ab64Encode(checksum)}`;
}

/**
 * Checks a password against the stored value. Odoo also accepts a plain-text value in the
 * column (it re-hashes it at the next login), so a value without the prefix compares as text.
 * Runs pbkdf2 off the event loop (libuv's thread pool): 600k rounds take a few hundred ms.
 */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  if (!stored || !password) return false;
  if (!isPasslibHash(stored)) {
    const a = Buffer.from(password, 'utf8');
    const b = Buffer.from(stored, 'utf8');
    return a.length === b.length && timingSafeEqual(a, b);
  }
  const parts = stored.slice(PREFIX.length).split('$');
  if (parts.length !== 3) return false;
  const rounds = Number(parts[0]);
  if (!Number.isInteger(rounds) || rounds < 1) return false;
  const salt = ab64Decode(parts[1]);
  const expected = ab64Decode(parts[2]);
  const actual = await pbkdf2Async(Buffer.from(password, 'utf8'), salt, rounds, expected.length, 'sha512');
  return timingSafeEqual(actual, expected);
}

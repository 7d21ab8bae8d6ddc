/** scrypt password hashes (node:crypto), stored as `scrypt$N$r$p$salt$hash` so parameters can be raised later. */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, createHash } from 'node:crypto';

const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 32;

function scrypt(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFC'), salt, KEYLEN, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Hashes computed since start: tests prove costly work is not done before authorization. */
export const hashStats = { computed: 0 };

export async function hashPassword(password: string): Promise<string> {
  hashStats.computed++;
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, key] = stored.split('$');
  if (kind !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), Number(n), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash computed for unknown logins too, so sign-in takes the same time whether or not the account exists. */
let dummy: Promise<string> | null = null;
export const dummyHash = (): Promise<string> => (dummy ??= hashPassword('not-a-real-password'));

/** At least 10 characters, not only digits or only letters. Mirrors `errors.weak_password`. */
export const isStrongEnough = (pw: string): boolean => pw.length >= 10 && !/^\d+$/.test(pw) && !/^\p{L}+$/u.test(pw);

export const newSessionToken = (): string => randomBytes(32).toString('base64url');
export const tokenHash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
/** Readable one-time password the Head hands to a new employee. */
export const newInitialPassword = (): string => `${randomBytes(6).toString('base64url')}-${randomBytes(4).toString('hex')}`;

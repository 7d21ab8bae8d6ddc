/**
 * pkijs needs a WebCrypto engine. Both Node (>= 19) and browsers expose one as
 * `globalThis.crypto`, so the same code runs in the app back end, the portal and
 * a renderer without importing any Node module.
 */
import * as pkijs from 'pkijs';

let installed = false;

export function cryptoEngine(): Crypto {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (!c || !c.subtle) throw new Error('WebCrypto (globalThis.crypto.subtle) is not available');
  if (!installed) {
    pkijs.setEngine('seriktes', new pkijs.CryptoEngine({ name: 'seriktes', crypto: c }));
    installed = true;
  }
  return c;
}

export const subtle = (): SubtleCrypto => cryptoEngine().subtle;

export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  cryptoEngine().getRandomValues(out);
  return out;
}

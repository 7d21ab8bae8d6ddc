import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { streebog256 } from '../../src-shared/signing/gost/streebog';

export const fixturesDir = resolve(__dirname, '../fixtures/nca');
export const fixture = (rel: string): Uint8Array => new Uint8Array(readFileSync(resolve(fixturesDir, rel)));

export const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
export const fromHex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));
/** RFC 6986 prints digests and messages as big-endian numbers; implementations use memory (reversed) order. */
export const rfcHex = (h: string): Uint8Array => fromHex(h).reverse();

/** Deterministic random source (Streebog-256 in counter mode) so failures reproduce. */
export function seededRandom(seed: string): (n: number) => Uint8Array {
  let counter = 0;
  const enc = new TextEncoder();
  return (n) => {
    const out = new Uint8Array(n);
    for (let o = 0; o < n; o += 32) {
      const block = streebog256(enc.encode(`${seed}/${counter++}`));
      out.set(block.subarray(0, Math.min(32, n - o)), o);
    }
    return out;
  };
}

export function flipBit(bytes: Uint8Array, byteIndex: number, bit = 0): Uint8Array {
  const copy = bytes.slice();
  copy[byteIndex]! ^= 1 << bit;
  return copy;
}

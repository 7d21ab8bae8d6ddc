/**
 * GOST R 34.11-94 hash (Kazakh GOST 34.311-95), built on the GOST 28147-89 block cipher.
 *
 * The S-box ("parameter set") is not fixed by the standard. Two sets are in use:
 *  - TEST: the set from the standard's appendix (id-GostR3411-94-TestParamSet, 1.2.643.2.2.30.0);
 *  - CRYPTOPRO: id-GostR3411-94-CryptoProParamSet (1.2.643.2.2.30.1, RFC 4357).
 * Byte convention as in OpenSSL gost-engine / libgcrypt: blocks and the digest in memory order
 * (little-endian numbers).
 */
import type { IncrementalHash } from './streebog';

/** Rows K1..K8 — row i substitutes nibble i (K1 = least significant nibble). */
export type SBox = readonly (readonly number[])[];

export const SBOX_TEST: SBox = [
  [4, 10, 9, 2, 13, 8, 0, 14, 6, 11, 1, 12, 7, 15, 5, 3],
  [14, 11, 4, 12, 6, 13, 15, 10, 2, 3, 8, 1, 0, 7, 5, 9],
  [5, 8, 1, 13, 10, 3, 4, 2, 14, 15, 12, 7, 6, 0, 9, 11],
  [7, 13, 10, 1, 0, 8, 9, 15, 14, 4, 6, 12, 11, 2, 5, 3],
  [6, 12, 7, 1, 5, 15, 13, 8, 4, 10, 9, 14, 0, 3, 11, 2],
  [4, 11, 10, 0, 7, 2, 1, 13, 3, 6, 8, 5, 9, 12, 15, 14],
  [13, 11, 4, 1, 3, 15, 5, 9, 0, 10, 14, 7, 6, 8, 2, 12],
  [1, 15, 13, 0, 5, 7, 10, 4, 9, 2, 3, 14, 6, 11, 8, 12],
];

export const SBOX_CRYPTOPRO: SBox = [
  [10, 4, 5, 6, 8, 1, 3, 7, 13, 12, 14, 0, 9, 2, 11, 15],
  [5, 15, 4, 0, 2, 13, 11, 9, 1, 7, 6, 3, 12, 14, 10, 8],
  [7, 15, 12, 14, 9, 4, 1, 0, 3, 11, 5, 2, 6, 10, 8, 13],
  [4, 10, 7, 12, 0, 15, 2, 8, 14, 1, 6, 5, 13, 11, 9, 3],
  [7, 6, 4, 11, 9, 12, 2, 10, 1, 8, 0, 14, 15, 13, 3, 5],
  [7, 6, 2, 4, 13, 9, 15, 0, 10, 1, 5, 11, 8, 14, 12, 3],
  [13, 14, 4, 1, 7, 0, 5, 10, 3, 12, 8, 15, 6, 2, 9, 11],
  [1, 3, 10, 9, 5, 11, 4, 15, 8, 6, 7, 14, 13, 0, 2, 12],
];

/** Four byte-wide tables: substitution of one byte (two nibbles) followed by the rotation by 11. */
function expandSBox(sbox: SBox): Uint32Array[] {
  const tables: Uint32Array[] = [];
  for (let b = 0; b < 4; b++) {
    const t = new Uint32Array(256);
    const lowRow = sbox[2 * b]!;
    const highRow = sbox[2 * b + 1]!;
    for (let v = 0; v < 256; v++) {
      const sub = (lowRow[v & 15]! | (highRow[v >>> 4]! << 4)) << (8 * b);
      t[v] = ((sub << 11) | (sub >>> 21)) >>> 0;
    }
    tables.push(t);
  }
  return tables;
}

/** GOST 28147-89 ECB encryption of one 64-bit block (in memory order) with a 256-bit key. */
function encryptBlock(tables: Uint32Array[], key: Uint32Array, in0: number, in1: number, out: Uint32Array, at: number): void {
  const [t0, t1, t2, t3] = tables as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  const f = (x: number): number =>
    t0[x & 0xff]! ^ t1[(x >>> 8) & 0xff]! ^ t2[(x >>> 16) & 0xff]! ^ t3[x >>> 24]!;
  let n1 = in0;
  let n2 = in1;
  for (let round = 0; round < 32; round += 2) {
    // key order: K0..K7 three times, then K7..K0
    const k1 = round < 24 ? key[round & 7]! : key[7 - (round & 7)]!;
    const k2 = round < 24 ? key[(round + 1) & 7]! : key[7 - ((round + 1) & 7)]!;
    n2 = (n2 ^ f((n1 + k1) >>> 0)) >>> 0;
    n1 = (n1 ^ f((n2 + k2) >>> 0)) >>> 0;
  }
  out[at] = n2;
  out[at + 1] = n1;
}

// ---- 256-bit values as 8 little-endian 32-bit words ----

/** A(Y) = (y1 ⊕ y2) ‖ y4 ‖ y3 ‖ y2 over 64-bit blocks y1 (least significant) .. y4. */
function transformA(y: Uint32Array): void {
  const l = y[0]! ^ y[2]!;
  const h = y[1]! ^ y[3]!;
  y[0] = y[2]!; y[1] = y[3]!;
  y[2] = y[4]!; y[3] = y[5]!;
  y[4] = y[6]!; y[5] = y[7]!;
  y[6] = l; y[7] = h;
}

function byteOf(w: Uint32Array, i: number): number {
  return (w[i >>> 2]! >>> ((i & 3) * 8)) & 0xff;
}

/** Key derivation permutation P: output byte i + 4k (i=0..3, k=0..7) = input byte 8i + k. */
function transformP(w: Uint32Array, out: Uint32Array): void {
  out.fill(0);
  for (let i = 0; i < 4; i++) {
    for (let k = 0; k < 8; k++) {
      const dst = i + 4 * k;
      out[dst >>> 2] = (out[dst >>> 2]! | (byteOf(w, 8 * i + k) << ((dst & 3) * 8))) >>> 0;
    }
  }
}

// C3 of the key schedule (C2 = C4 = 0), memory order.
const C3 = new Uint32Array([0xff00ff00, 0xff00ff00, 0x00ff00ff, 0x00ff00ff, 0x00ffff00, 0xff0000ff, 0x000000ff, 0xff00ffff]);

/**
 * ψ(y16‖…‖y1) = (y1⊕y2⊕y3⊕y4⊕y13⊕y16)‖y16‖…‖y2 shifts the 16-bit words down by one and appends one new
 * word, so ψ^n is computed by appending n words to a buffer and sliding a 16-word window over it.
 */
const PSI_BUF = new Uint16Array(16 + 12 + 1 + 61);
function psiAppend(start: number): void {
  const b = PSI_BUF;
  b[start + 16] = b[start]! ^ b[start + 1]! ^ b[start + 2]! ^ b[start + 3]! ^ b[start + 12]! ^ b[start + 15]!;
}

const U = new Uint32Array(8);
const V = new Uint32Array(8);
const W = new Uint32Array(8);
const KEY = new Uint32Array(8);
const SS = new Uint32Array(8);

function step(tables: Uint32Array[], h: Uint32Array, m: Uint32Array): void {
  U.set(h);
  V.set(m);
  for (let j = 0; j < 4; j++) {
    if (j > 0) {
      transformA(U);
      if (j === 2) for (let i = 0; i < 8; i++) U[i] = U[i]! ^ C3[i]!;
      transformA(V);
      transformA(V);
    }
    for (let i = 0; i < 8; i++) W[i] = U[i]! ^ V[i]!;
    transformP(W, KEY);
    encryptBlock(tables, KEY, h[2 * j]!, h[2 * j + 1]!, SS, 2 * j);
  }
  // H' = ψ^61(H ⊕ ψ(M ⊕ ψ^12(S))), 16-bit words little-endian
  const b = PSI_BUF;
  for (let i = 0; i < 8; i++) {
    b[2 * i] = SS[i]! & 0xffff;
    b[2 * i + 1] = SS[i]! >>> 16;
  }
  let at = 0;
  for (let i = 0; i < 12; i++) psiAppend(at++);
  for (let i = 0; i < 8; i++) {
    b[at + 2 * i] = b[at + 2 * i]! ^ (m[i]! & 0xffff);
    b[at + 2 * i + 1] = b[at + 2 * i + 1]! ^ (m[i]! >>> 16);
  }
  psiAppend(at++);
  for (let i = 0; i < 8; i++) {
    b[at + 2 * i] = b[at + 2 * i]! ^ (h[i]! & 0xffff);
    b[at + 2 * i + 1] = b[at + 2 * i + 1]! ^ (h[i]! >>> 16);
  }
  for (let i = 0; i < 61; i++) psiAppend(at++);
  for (let i = 0; i < 8; i++) h[i] = (b[at + 2 * i]! | (b[at + 2 * i + 1]! << 16)) >>> 0;
}


function add256(a: Uint32Array, b: Uint32Array): void {
  let carry = 0;
  for (let i = 0; i < 8; i++) {
    const s = a[i]! + b[i]! + carry;
    a[i] = s >>> 0;
    carry = s > 0xffffffff ? 1 : 0;
  }
}

function readWords(data: Uint8Array, off: number, len: number): Uint32Array {
  const out = new Uint32Array(8);
  for (let i = 0; i < len; i++) out[i >>> 2] = (out[i >>> 2]! | (data[off + i]! << ((i & 3) * 8))) >>> 0;
  return out;
}

export class Gost341194 implements IncrementalHash {
  private readonly tables: Uint32Array[];
  private readonly h = new Uint32Array(8);
  private readonly sigma = new Uint32Array(8);
  private bitLength = 0n;
  private readonly buf = new Uint8Array(32);
  private bufLen = 0;
  private done = false;

  constructor(sbox: SBox = SBOX_CRYPTOPRO) {
    this.tables = tablesFor(sbox);
  }

  update(data: Uint8Array): this {
    if (this.done) throw new Error('GOST R 34.11-94: digest() already called');
    let off = 0;
    if (this.bufLen > 0) {
      const take = Math.min(32 - this.bufLen, data.length);
      this.buf.set(data.subarray(0, take), this.bufLen);
      this.bufLen += take;
      off = take;
      if (this.bufLen < 32) return this;
      this.block(readWords(this.buf, 0, 32));
      this.bufLen = 0;
    }
    while (data.length - off >= 32) {
      this.block(readWords(data, off, 32));
      off += 32;
    }
    if (off < data.length) {
      this.buf.set(data.subarray(off), 0);
      this.bufLen = data.length - off;
    }
    return this;
  }

  digest(): Uint8Array {
    if (this.done) throw new Error('GOST R 34.11-94: digest() already called');
    this.done = true;
    if (this.bufLen > 0) {
      // last partial block is zero-padded; only its real length counts in L
      const m = readWords(this.buf, 0, this.bufLen);
      step(this.tables, this.h, m);
      add256(this.sigma, m);
      this.bitLength += BigInt(this.bufLen * 8);
    }
    const l = new Uint32Array(8);
    let bl = this.bitLength;
    for (let i = 0; i < 8 && bl > 0n; i++) {
      l[i] = Number(bl & 0xffffffffn);
      bl >>= 32n;
    }
    step(this.tables, this.h, l);
    step(this.tables, this.h, this.sigma);
    const out = new Uint8Array(32);
    for (let i = 0; i < 32; i++) out[i] = (this.h[i >>> 2]! >>> ((i & 3) * 8)) & 0xff;
    return out;
  }

  private block(m: Uint32Array): void {
    step(this.tables, this.h, m);
    add256(this.sigma, m);
    this.bitLength += 256n;
  }
}

const tableCache = new Map<SBox, Uint32Array[]>();
function tablesFor(sbox: SBox): Uint32Array[] {
  let t = tableCache.get(sbox);
  if (!t) {
    t = expandSBox(sbox);
    tableCache.set(sbox, t);
  }
  return t;
}

export function gost341194(data: Uint8Array, sbox: SBox = SBOX_CRYPTOPRO): Uint8Array {
  return new Gost341194(sbox).update(data).digest();
}

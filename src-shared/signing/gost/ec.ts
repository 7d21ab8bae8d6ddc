/**
 * GOST R 34.10-2001/2012 signature math over a prime field, on BigInt.
 *
 * Points are Jacobian (X, Y, Z) ↔ affine (X/Z², Y/Z³); Z = 0 is the point at infinity. Verification
 * computes z1·G + z2·Q with one shared doubling chain (Shamir's trick) and 4-bit windows; the table
 * for G is built once per curve. Not constant-time: fine for verification, and signing exists only
 * for tests.
 */
import type { GostCurve } from './curves';

interface Jacobian { x: bigint; y: bigint; z: bigint }

export interface AffinePoint { x: bigint; y: bigint }

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

/** Modular inverse by the extended Euclidean algorithm (a must be coprime to m). */
export function invert(a: bigint, m: bigint): bigint {
  let r0 = mod(a, m);
  let r1 = m;
  let s0 = 1n;
  let s1 = 0n;
  while (r1 !== 0n) {
    const qt = r0 / r1;
    [r0, r1] = [r1, r0 - qt * r1];
    [s0, s1] = [s1, s0 - qt * s1];
  }
  if (r0 !== 1n) throw new Error('not invertible');
  return mod(s0, m);
}

const INFINITY: Jacobian = { x: 1n, y: 1n, z: 0n };

function double(c: GostCurve, pt: Jacobian): Jacobian {
  const { p } = c;
  if (pt.z === 0n || pt.y === 0n) return INFINITY;
  const xx = (pt.x * pt.x) % p;
  const yy = (pt.y * pt.y) % p;
  const yyyy = (yy * yy) % p;
  const zz = (pt.z * pt.z) % p;
  const s = (4n * pt.x * yy) % p;
  const m = (3n * xx + c.a * ((zz * zz) % p)) % p;
  const x3 = mod(m * m - 2n * s, p);
  const y3 = mod(m * (s - x3) - 8n * yyyy, p);
  const z3 = (2n * pt.y * pt.z) % p;
  return { x: x3, y: y3, z: z3 };
}

function add(c: GostCurve, p1: Jacobian, p2: Jacobian): Jacobian {
  const { p } = c;
  if (p1.z === 0n) return p2;
  if (p2.z === 0n) return p1;
  const z1z1 = (p1.z * p1.z) % p;
  const z2z2 = (p2.z * p2.z) % p;
  const u1 = (p1.x * z2z2) % p;
  const u2 = (p2.x * z1z1) % p;
  const s1 = (((p1.y * p2.z) % p) * z2z2) % p;
  const s2 = (((p2.y * p1.z) % p) * z1z1) % p;
  const h = mod(u2 - u1, p);
  const r = mod(s2 - s1, p);
  if (h === 0n) return r === 0n ? double(c, p1) : INFINITY;
  const hh = (h * h) % p;
  const hhh = (h * hh) % p;
  const v = (u1 * hh) % p;
  const x3 = mod(r * r - hhh - 2n * v, p);
  const y3 = mod(r * (v - x3) - s1 * hhh, p);
  const z3 = (((p1.z * p2.z) % p) * h) % p;
  return { x: x3, y: y3, z: z3 };
}

function toAffine(c: GostCurve, pt: Jacobian): AffinePoint | null {
  if (pt.z === 0n) return null;
  const zi = invert(pt.z, c.p);
  const zi2 = (zi * zi) % c.p;
  return { x: (pt.x * zi2) % c.p, y: (((pt.y * zi2) % c.p) * zi) % c.p };
}

const WINDOW = 4;

/** [O, P, 2P, …, 15P] */
function windowTable(c: GostCurve, pt: Jacobian): Jacobian[] {
  const t: Jacobian[] = [INFINITY, pt];
  for (let i = 2; i < 1 << WINDOW; i++) t.push(add(c, t[i - 1]!, pt));
  return t;
}

const baseTables = new WeakMap<GostCurve, Jacobian[]>();
function baseTable(c: GostCurve): Jacobian[] {
  let t = baseTables.get(c);
  if (!t) {
    t = windowTable(c, { x: c.x, y: c.y, z: 1n });
    baseTables.set(c, t);
  }
  return t;
}

/** k1·P1 + k2·P2 (either table may be absent) with one doubling chain. */
function doubleScalarMul(c: GostCurve, k1: bigint, t1: Jacobian[], k2: bigint, t2: Jacobian[] | null): Jacobian {
  const bits = Math.max(k1.toString(2).length, k2.toString(2).length);
  const windows = Math.ceil(bits / WINDOW);
  let acc = INFINITY;
  const mask = BigInt((1 << WINDOW) - 1);
  for (let w = windows - 1; w >= 0; w--) {
    for (let i = 0; i < WINDOW; i++) acc = double(c, acc);
    const shift = BigInt(w * WINDOW);
    const d1 = Number((k1 >> shift) & mask);
    if (d1) acc = add(c, acc, t1[d1]!);
    if (t2) {
      const d2 = Number((k2 >> shift) & mask);
      if (d2) acc = add(c, acc, t2[d2]!);
    }
  }
  return acc;
}

export function isOnCurve(c: GostCurve, pt: AffinePoint): boolean {
  if (pt.x < 0n || pt.x >= c.p || pt.y < 0n || pt.y >= c.p) return false;
  return mod(pt.y * pt.y - (pt.x * pt.x * pt.x + c.a * pt.x + c.b), c.p) === 0n;
}

/** k·P in affine coordinates (null = infinity). */
export function multiply(c: GostCurve, k: bigint, pt: AffinePoint = { x: c.x, y: c.y }): AffinePoint | null {
  const t = pt.x === c.x && pt.y === c.y ? baseTable(c) : windowTable(c, { x: pt.x, y: pt.y, z: 1n });
  return toAffine(c, doubleScalarMul(c, mod(k, c.q), t, 0n, null));
}

/** e from the digest: the digest bytes read as an integer (little-endian unless told), mod q, 0 → 1. */
export function digestToE(c: GostCurve, digest: Uint8Array, littleEndian = true): bigint {
  const e = mod(littleEndian ? bytesToBigIntLE(digest) : bytesToBigIntBE(digest), c.q);
  return e === 0n ? 1n : e;
}

/** GOST R 34.10 verification on the integers (r, s) and the digest-derived e. */
export function verifyRaw(c: GostCurve, q: AffinePoint, e: bigint, r: bigint, s: bigint): boolean {
  if (r <= 0n || r >= c.q || s <= 0n || s >= c.q) return false;
  if (!isOnCurve(c, q)) return false;
  const v = invert(e, c.q);
  const z1 = (s * v) % c.q;
  const z2 = mod(-r * v, c.q);
  const pt = toAffine(c, doubleScalarMul(c, z1, baseTable(c), z2, windowTable(c, { x: q.x, y: q.y, z: 1n })));
  if (!pt) return false;
  return pt.x % c.q === r;
}

/** GOST R 34.10 signing with the nonce from `nextK` (called again if a candidate is unusable). */
export function signRaw(c: GostCurve, d: bigint, e: bigint, nextK: () => bigint): { r: bigint; s: bigint } {
  for (let attempt = 0; attempt < 100; attempt++) {
    const k = mod(nextK(), c.q);
    if (k === 0n) continue;
    const pt = multiply(c, k);
    if (!pt) continue;
    const r = pt.x % c.q;
    if (r === 0n) continue;
    const s = (r * d + k * e) % c.q;
    if (s === 0n) continue;
    return { r, s };
  }
  throw new Error('GOST signing: no usable nonce');
}

export function bytesToBigIntLE(b: Uint8Array): bigint {
  let hex = '';
  for (let i = b.length - 1; i >= 0; i--) hex += b[i]!.toString(16).padStart(2, '0');
  return hex ? BigInt('0x' + hex) : 0n;
}

export function bytesToBigIntBE(b: Uint8Array): bigint {
  let hex = '';
  for (let i = 0; i < b.length; i++) hex += b[i]!.toString(16).padStart(2, '0');
  return hex ? BigInt('0x' + hex) : 0n;
}

export function bigIntToBytesBE(v: bigint, len: number): Uint8Array {
  const hex = v.toString(16).padStart(len * 2, '0');
  if (hex.length > len * 2) throw new Error('integer too large');
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function bigIntToBytesLE(v: bigint, len: number): Uint8Array {
  return bigIntToBytesBE(v, len).reverse();
}

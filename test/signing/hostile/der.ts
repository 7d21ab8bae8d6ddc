/**
 * A tiny DER writer and header walker for the hostile corpus: enough to build structurally valid
 * PKCS#12 and CMS shells with chosen iteration counts, bags and certificates, and to find every
 * tag/length header of a real DER file so the generator can damage exactly those bytes.
 */
import { concat } from '../../../src-shared/signing/bytes';

export { concat };

function lengthBytes(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const b: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) b.unshift(v & 0xff);
  return Uint8Array.of(0x80 | b.length, ...b);
}

export const tlv = (tag: number, content: Uint8Array): Uint8Array => concat([Uint8Array.of(tag), lengthBytes(content.length), content]);
export const seq = (...c: Uint8Array[]): Uint8Array => tlv(0x30, concat(c));
export const set = (...c: Uint8Array[]): Uint8Array => tlv(0x31, concat(c));
export const oct = (b: Uint8Array): Uint8Array => tlv(0x04, b);
export const ctx0 = (...c: Uint8Array[]): Uint8Array => tlv(0xa0, concat(c));
export const nul = (): Uint8Array => Uint8Array.of(0x05, 0x00);

/** A non-negative INTEGER of any size (numbers beyond 2^53 as a hex string). */
export function int(v: number | string): Uint8Array {
  let hex = typeof v === 'string' ? v : v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let b: Uint8Array = Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16)));
  if (b[0]! & 0x80) b = concat([Uint8Array.of(0), b]);
  return tlv(0x02, b);
}

export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [arcs[0]! * 40 + arcs[1]!];
  for (const a of arcs.slice(2)) {
    const chunk: number[] = [a & 0x7f];
    for (let v = Math.floor(a / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(out));
}

export interface Header {
  /** Offset of the tag byte. */
  at: number;
  /** Bytes of the length field. */
  lengthSize: number;
}

/** Every TLV header of a definite-length DER file, outer first (constructed elements are entered). */
export function headers(b: Uint8Array, start = 0, end = b.length, depth = 0, out: Header[] = []): Header[] {
  let i = start;
  while (i + 2 <= end && depth < 40) {
    const tag = b[i]!;
    const first = b[i + 1]!;
    let len = first;
    let lengthSize = 1;
    if (first >= 0x80) {
      const n = first & 0x7f;
      if (n === 0 || n > 4) return out;
      len = 0;
      for (let k = 0; k < n; k++) len = len * 256 + b[i + 2 + k]!;
      lengthSize = 1 + n;
    }
    const contentAt = i + 1 + lengthSize;
    if (contentAt + len > end) return out;
    out.push({ at: i, lengthSize });
    if (tag & 0x20) headers(b, contentAt, contentAt + len, depth + 1, out);
    i = contentAt + len;
  }
  return out;
}

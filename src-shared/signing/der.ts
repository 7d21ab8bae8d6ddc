import * as asn1js from 'asn1js';
import { ab } from './bytes';

export function parseDer(der: Uint8Array): asn1js.AsnType {
  const r = asn1js.fromBER(ab(der));
  if (r.offset === -1) throw new Error(`ASN.1 parse error: ${r.result.error}`);
  return r.result;
}

export const encode = (v: { toBER(sizeOnly?: boolean): ArrayBuffer }): Uint8Array => new Uint8Array(v.toBER(false));

/** Total length of the first DER element in bytes (to trim zero padding after a CMS in a PDF). */
export function derLength(b: Uint8Array): number {
  if (b.length < 2) return 0;
  const first = b[1]!;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  if (n === 0) {
    // Indefinite length (BER): let asn1js find the end.
    const r = asn1js.fromBER(ab(b));
    return r.offset === -1 ? b.length : r.offset;
  }
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + b[2 + i]!;
  return 2 + n + len;
}

/** DER ordering of SET OF elements (X.690 11.6): compare encodings as octet strings. */
export function compareDer(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * Minimal DER reader for the few structures GOST verification needs (Certificate, TBSCertificate,
 * SubjectPublicKeyInfo, AlgorithmIdentifier). It keeps the exact encoded bytes of every element,
 * which is what signatures cover, and never re-encodes anything.
 */
export interface Tlv {
  tag: number;
  /** offset of the tag byte in `bytes` */
  start: number;
  /** offset of the first content byte */
  contentStart: number;
  /** offset just past the element */
  end: number;
  bytes: Uint8Array;
}

export class DerError extends Error {}

export function readTlv(bytes: Uint8Array, offset = 0): Tlv {
  if (offset + 2 > bytes.length) throw new DerError('truncated DER');
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not supported');
  let pos = offset + 1;
  const first = bytes[pos++]!;
  let len: number;
  if (first < 0x80) {
    len = first;
  } else {
    const n = first & 0x7f;
    if (n === 0 || n > 4) throw new DerError('unsupported DER length');
    if (pos + n > bytes.length) throw new DerError('truncated DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + bytes[pos++]!;
  }
  const end = pos + len;
  if (end > bytes.length) throw new DerError('DER element runs past the end');
  return { tag, start: offset, contentStart: pos, end, bytes };
}

export function content(t: Tlv): Uint8Array {
  return t.bytes.subarray(t.contentStart, t.end);
}

export function encoded(t: Tlv): Uint8Array {
  return t.bytes.subarray(t.start, t.end);
}

/** Children of a constructed element. */
export function children(t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let pos = t.contentStart;
  while (pos < t.end) {
    const c = readTlv(t.bytes.subarray(0, t.end), pos);
    out.push(c);
    pos = c.end;
  }
  return out;
}

export function expectTag(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t || t.tag !== tag) throw new DerError(`${what}: expected tag 0x${tag.toString(16)}`);
  return t;
}

export function decodeOid(t: Tlv): string {
  expectTag(t, 0x06, 'OBJECT IDENTIFIER');
  const b = content(t);
  if (b.length === 0) throw new DerError('empty OID');
  const arcs: bigint[] = [];
  let v = 0n;
  for (let i = 0; i < b.length; i++) {
    v = (v << 7n) | BigInt(b[i]! & 0x7f);
    if ((b[i]! & 0x80) === 0) {
      arcs.push(v);
      v = 0n;
    }
  }
  const first = arcs.shift() ?? 0n;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs].join('.');
}

export function encodeOid(oid: string): Uint8Array {
  const parts = oid.split('.').map((x) => BigInt(x));
  const arcs = [parts[0]! * 40n + parts[1]!, ...parts.slice(2)];
  const body: number[] = [];
  for (const arc of arcs) {
    const chunk: number[] = [];
    let v = arc;
    do {
      chunk.unshift(Number(v & 0x7fn));
      v >>= 7n;
    } while (v > 0n);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i]! |= 0x80;
    body.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(body));
}

/** Encode one DER element (definite length). */
export function tlv(tag: number, body: Uint8Array): Uint8Array {
  const len = body.length;
  let header: number[];
  if (len < 0x80) header = [tag, len];
  else if (len < 0x100) header = [tag, 0x81, len];
  else if (len < 0x10000) header = [tag, 0x82, len >> 8, len & 0xff];
  else header = [tag, 0x83, len >> 16, (len >> 8) & 0xff, len & 0xff];
  const out = new Uint8Array(header.length + len);
  out.set(header, 0);
  out.set(body, header.length);
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Content bytes of a BIT STRING with no unused bits. */
export function bitStringBytes(t: Tlv): Uint8Array {
  expectTag(t, 0x03, 'BIT STRING');
  const c = content(t);
  if (c.length < 1 || c[0] !== 0) throw new DerError('BIT STRING with unused bits');
  return c.subarray(1);
}

/** DER from PEM or DER input (certificates in the fixtures come both ways). */
export function pemOrDer(input: Uint8Array): Uint8Array {
  if (input[0] === 0x30) return input;
  const text = new TextDecoder().decode(input);
  const m = /-----BEGIN [^-]+-----([\s\S]*?)-----END [^-]+-----/.exec(text);
  if (!m) throw new DerError('neither DER nor PEM');
  const b64 = m[1]!.replace(/[^A-Za-z0-9+/=]/g, '');
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

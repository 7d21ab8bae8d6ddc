/** Small byte helpers: src-shared uses Uint8Array only (no Buffer). */

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
export const fromUtf8 = (b: Uint8Array): string => new TextDecoder('utf-8').decode(b);

/** Latin-1 view of bytes: one char per byte, used to search PDF syntax. */
export function latin1(b: Uint8Array, start = 0, end = b.length): string {
  let out = '';
  const CHUNK = 0x8000;
  for (let i = start; i < end; i += CHUNK) {
    out += String.fromCharCode.apply(null, Array.from(b.subarray(i, Math.min(end, i + CHUNK))));
  }
  return out;
}
export function fromLatin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

export function toHex(b: Uint8Array | ArrayBuffer): string {
  const u = b instanceof Uint8Array ? b : new Uint8Array(b);
  let s = '';
  for (const x of u) s += x.toString(16).padStart(2, '0');
  return s;
}
export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/[^0-9a-fA-F]/g, '');
  const out = new Uint8Array(clean.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** A fresh ArrayBuffer holding exactly these bytes (pkijs/asn1js/WebCrypto want ArrayBuffer). */
export function ab(b: Uint8Array): ArrayBuffer {
  const out = new ArrayBuffer(b.byteLength);
  new Uint8Array(out).set(b);
  return out;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/** Overwrites secret material so it does not linger in memory longer than needed. */
export function wipe(b: Uint8Array | undefined | null): void {
  if (b) b.fill(0);
}

export function toBase64(b: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < b.length; i += 0x8000) bin += String.fromCharCode.apply(null, Array.from(b.subarray(i, i + 0x8000)));
  return btoa(bin);
}
/** Lenient: characters outside the alphabet are dropped, and so is a dangling sixth-bit character (atob would throw). */
export function fromBase64(s: string): Uint8Array {
  let clean = s.replace(/[^A-Za-z0-9+/]/g, '');
  if (clean.length % 4 === 1) clean = clean.slice(0, -1);
  return fromLatin1(atob(clean + '='.repeat((4 - (clean.length % 4)) % 4)));
}

/** Accepts DER or PEM (any label) and returns DER blocks. */
export function pemOrDerBlocks(input: Uint8Array): Uint8Array[] {
  const text = latin1(input, 0, Math.min(input.length, 1 << 20));
  if (/-----BEGIN [A-Z0-9 ]+-----/.test(text)) {
    const blocks: Uint8Array[] = [];
    const all = latin1(input);
    const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
    for (let m = re.exec(all); m; m = re.exec(all)) blocks.push(fromBase64(m[2] ?? ''));
    return blocks;
  }
  // Base64 without armour (NCALayer sometimes returns that).
  if (/^[A-Za-z0-9+/=\s]+$/.test(text) && input.length > 16 && input[0] !== 0x30) return [fromBase64(text)];
  return [input];
}

export function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = toBase64(der).replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`;
}

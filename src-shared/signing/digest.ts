import { OID, webCryptoDigestName } from './oids';
import { ab } from './bytes';
import { subtle } from './engine';
import { gostDigestOf, isGost } from './gost-bridge';

/** Digest of bytes already in memory, for SHA-* (WebCrypto) and the Kazakh GOST hashes (gost module). */
export async function digestBytes(digestOid: string, data: Uint8Array): Promise<Uint8Array> {
  const name = webCryptoDigestName(digestOid);
  if (name) return new Uint8Array(await subtle().digest(name, ab(data)));
  if (isGost(digestOid)) return gostDigestOf(digestOid, data);
  throw new Error(`unsupported digest algorithm ${digestOid}`);
}

/** Digest of several byte ranges (a PDF ByteRange) without building one big copy for GOST-free SHA paths. */
export async function digestRanges(digestOid: string, parts: readonly Uint8Array[]): Promise<Uint8Array> {
  if (parts.length === 1) return digestBytes(digestOid, parts[0]!);
  let n = 0;
  for (const p of parts) n += p.length;
  const all = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return digestBytes(digestOid, all);
}

/** Computes a digest of some content on demand: src-main streams files, the portal may hash uploads. */
export type ContentDigester = (digestOid: string) => Promise<Uint8Array>;

export const bytesDigester =
  (data: Uint8Array): ContentDigester =>
  (oid) =>
    digestBytes(oid, data);

export const DEFAULT_DIGEST = OID.sha256;

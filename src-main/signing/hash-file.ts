/** Streams a file through a digest so big files (1 GB+) never sit in memory. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { webCryptoDigestName } from '../../src-shared/signing/oids';
import { createGostHasher } from '../../src-shared/signing/gost-bridge';
import type { ContentDigester } from '../../src-shared/signing/digest';

const NODE_NAMES: Record<string, string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

export async function digestFile(path: string, digestOid: string): Promise<Uint8Array> {
  const web = webCryptoDigestName(digestOid);
  const nodeName = web ? NODE_NAMES[web] : undefined;
  const gost = nodeName ? null : createGostHasher(digestOid);
  if (!nodeName && !gost) throw new Error(`unsupported digest algorithm ${digestOid}`);
  const h = nodeName ? createHash(nodeName) : null;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const c = chunk as Buffer;
    if (h) h.update(c);
    else gost!.update(new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
  }
  return h ? new Uint8Array(h.digest()) : gost!.digest();
}

/** A ContentDigester over a file: each algorithm is computed once, by streaming. */
export function fileDigester(path: string): ContentDigester {
  const cache = new Map<string, Promise<Uint8Array>>();
  return (oid) => {
    if (!cache.has(oid)) cache.set(oid, digestFile(path, oid));
    return cache.get(oid)!;
  };
}

/** Digest of byte ranges held in memory (PAdES), with Node's native hash for SHA. */
export function digestParts(parts: readonly Uint8Array[], digestOid: string): Uint8Array {
  const web = webCryptoDigestName(digestOid);
  const nodeName = web ? NODE_NAMES[web] : undefined;
  if (nodeName) {
    const h = createHash(nodeName);
    for (const p of parts) h.update(p);
    return new Uint8Array(h.digest());
  }
  const gost = createGostHasher(digestOid);
  if (!gost) throw new Error(`unsupported digest algorithm ${digestOid}`);
  for (const p of parts) gost.update(p);
  return gost.digest();
}

/**
 * The file-reading loop of hashing, run inside the hash worker (hash-worker.ts): synchronous reads
 * into one reused buffer. A read stream allocates a Buffer per chunk and pays an event-loop turn for
 * each one; this loop keeps SHA-256 at the speed of `openssl dgst` (bench row P4). Synchronous reads
 * are fine here because the thread does nothing else; never call this on the app's main thread.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { webCryptoDigestName } from '../../src-shared/signing/oids';
import { createGostHasher } from '../../src-shared/signing/gost-bridge';

/** 1 MiB: past this, bigger reads gain nothing measurable on SHA-256 (measured 64 KiB…4 MiB). */
export const HASH_BUFFER_BYTES = 1 << 20;

const NODE_NAMES: Record<string, string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

/** Node's hash name for a digest OID (SHA family), or undefined. */
export function nodeHashName(digestOid: string): string | undefined {
  const web = webCryptoDigestName(digestOid);
  return web ? NODE_NAMES[web] : undefined;
}

let shared: Buffer | null = null;

export interface HashFileOptions {
  /** Hash exactly this many bytes from the start (the file must hold them); default: the whole file. */
  length?: number;
  /** Bytes hashed after the file's (a PAdES update's signed parts, which are not on disk yet). */
  suffix?: readonly Uint8Array[];
}

/** Digest of a file (or its first `length` bytes, then `suffix`); `buffer` is the reused read buffer (one per thread by default). */
export function hashFileSync(path: string, digestOid: string, buffer?: Buffer, opts: HashFileOptions = {}): Uint8Array {
  const nodeName = nodeHashName(digestOid);
  const gost = nodeName ? null : createGostHasher(digestOid);
  if (!nodeName && !gost) throw new Error(`unsupported digest algorithm ${digestOid}`);
  const h = nodeName ? createHash(nodeName) : null;
  const update = (view: Uint8Array) => {
    // Both hashers copy what they keep, so handing them a view of the reused buffer is safe.
    if (h) h.update(view);
    else gost!.update(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  };
  const buf = buffer ?? (shared ??= Buffer.allocUnsafe(HASH_BUFFER_BYTES));
  const fd = openSync(path, 'r');
  try {
    let left = opts.length ?? Infinity;
    while (left > 0) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, left), null);
      if (n === 0) {
        if (left !== Infinity) throw Object.assign(new Error('the file became shorter while it was being hashed'), { code: 'file_unreadable' });
        break;
      }
      left -= n;
      update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  for (const part of opts.suffix ?? []) update(part);
  return h ? new Uint8Array(h.digest()) : gost!.digest();
}

/**
 * File digests for signing and verification. Big files (1 GB+) never sit in memory, and the hashing
 * runs off the main thread: one worker thread (hash-worker.ts) reads each file synchronously into a
 * reused buffer (hash-loop.ts), which holds SHA-256 at `openssl dgst` speed (bench row P4).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createGostHasher } from '../../src-shared/signing/gost-bridge';
import type { ContentDigester } from '../../src-shared/signing/digest';
import { nodeHashName } from './hash-loop';
import type { HashReply, HashRequest } from './hash-worker';

interface Pending {
  resolve(d: Uint8Array): void;
  reject(e: Error): void;
}

let worker: Worker | null = null;
const pending = new Map<number, Pending>();
let nextId = 1;

/** The bundled worker (dist/main/hash-worker.cjs) next to the bundle; from source, the .ts through tsx. */
/** The thread holds one 1 MiB buffer and a hash state: small heaps keep its isolate's memory down (bench row P5). */
const WORKER_LIMITS = { resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 24 } };

function startWorker(): Worker {
  const bundled = join(__dirname, 'hash-worker.cjs');
  if (existsSync(bundled)) return new Worker(bundled, WORKER_LIMITS);
  const source = join(__dirname, 'hash-worker.ts');
  if (!existsSync(source)) throw new Error(`hash worker not found next to ${__dirname}`);
  // Running from source (tsx, vitest): the thread installs tsx's require hook before loading the .ts.
  // (createRequire, so the bundler leaves this dev-only lookup alone)
  const tsx = createRequire(__filename).resolve('tsx/cjs/api');
  return new Worker(`require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(source)});`, { eval: true });
}

function failAll(err: Error): void {
  for (const p of pending.values()) p.reject(err);
  pending.clear();
}

function hashWorker(): Worker {
  if (worker) return worker;
  const w = startWorker();
  w.on('message', (reply: HashReply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (pending.size === 0) w.unref(); // an idle worker never keeps the process alive
    if ('digest' in reply) p.resolve(reply.digest);
    else p.reject(Object.assign(new Error(reply.error), reply.code ? { code: reply.code } : {}));
  });
  w.on('error', (e) => {
    if (worker === w) worker = null;
    failAll(e);
  });
  w.on('exit', (code) => {
    if (worker === w) worker = null;
    failAll(new Error(`hash worker exited with code ${code}`));
  });
  worker = w;
  return w;
}

/** Digest of a whole file (SHA family or GOST), computed in the hash worker. */
export function digestFile(path: string, digestOid: string): Promise<Uint8Array> {
  return digestInWorker({ path, digestOid });
}

/** Digest of a file's first `length` bytes followed by `suffix` (a PAdES signed range), in the hash worker. */
export function digestFilePrefix(path: string, digestOid: string, length: number, suffix: Uint8Array[]): Promise<Uint8Array> {
  return digestInWorker({ path, digestOid, length, suffix });
}

function digestInWorker(req: Omit<HashRequest, 'id'>): Promise<Uint8Array> {
  const { digestOid } = req;
  if (!nodeHashName(digestOid) && !createGostHasher(digestOid)) return Promise.reject(new Error(`unsupported digest algorithm ${digestOid}`));
  return new Promise<Uint8Array>((resolve, reject) => {
    const w = hashWorker();
    const id = nextId++;
    pending.set(id, { resolve, reject });
    w.ref();
    w.postMessage({ id, ...req } satisfies HashRequest);
  });
}

/** Stops the hash worker (tests, clean shutdown); the next digestFile starts a new one. */
export async function stopHashWorker(): Promise<void> {
  const w = worker;
  worker = null;
  if (w) await w.terminate();
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
  const nodeName = nodeHashName(digestOid);
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

/**
 * Entry of the hashing worker thread (started by hash-file.ts): hashes one file per request with
 * hashFileSync, one request after another. Built to dist/main/hash-worker.cjs.
 */
import { parentPort } from 'node:worker_threads';
import { hashFileSync } from './hash-loop';

export interface HashRequest {
  id: number;
  path: string;
  digestOid: string;
  /** Only the first `length` bytes, then `suffix` (see HashFileOptions). */
  length?: number;
  suffix?: Uint8Array[];
}
export type HashReply = { id: number; digest: Uint8Array } | { id: number; error: string; code?: string };

parentPort?.on('message', (req: HashRequest) => {
  let reply: HashReply;
  try {
    reply = { id: req.id, digest: hashFileSync(req.path, req.digestOid, undefined, { length: req.length, suffix: req.suffix }) };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    reply = { id: req.id, error: err.message, ...(err.code ? { code: err.code } : {}) };
  }
  parentPort!.postMessage(reply);
});

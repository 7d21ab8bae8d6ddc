/** Large incompressible files for the signing rows, written in 1 MiB chunks (never whole in memory). */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export function writeRandomFile(path: string, mib: number): void {
  const fd = openSync(path, 'w');
  try {
    const chunk = randomBytes(1 << 20);
    for (let i = 0; i < mib; i++) {
      chunk.writeUInt32LE(i, 0);
      writeSync(fd, chunk);
    }
  } finally {
    closeSync(fd);
  }
}

/** Wall time of `openssl dgst -sha256 FILE`, process start-up included. */
export function opensslDgstMs(path: string): number {
  const t0 = performance.now();
  const r = spawnSync('openssl', ['dgst', '-sha256', path], { stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`openssl dgst failed: ${r.stderr.toString()}`);
  return ms;
}

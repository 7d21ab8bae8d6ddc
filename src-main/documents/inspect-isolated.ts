/**
 * The app's PDF inspection, off the back end's event loop (issue 13): each inspection runs in a
 * worker thread with a wall-clock and a heap limit (src-shared/documents/check-pool.ts); a check
 * that runs out of either comes back as an inspection `problems` code, never as a stalled app.
 *
 * Limits: DEFAULT_INSPECT_LIMITS, over which SERIKTES_PDF_CHECK_TIMEOUT_MS, _MEMORY_MB and
 * _CONCURRENCY apply, over which a caller's InspectOptions.check applies (tests).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CheckPool, checkLimitsFromEnv, type CheckLimits } from '../../src-shared/documents/check-pool';
import type { DocumentInspection } from '../../src-shared/documents/model';
import type { InspectRequest } from './pdf-inspection';

export const DEFAULT_INSPECT_LIMITS: Readonly<CheckLimits> = Object.freeze({
  // Online revocation (OCSP/CRL over the network) and pdf.js's own 10 s text box run inside it.
  timeoutMs: 120_000,
  // pdf-lib holds the parsed document on the heap (a few times the file, files up to 100 MB).
  maxOldGenerationMb: 1024,
  maxYoungGenerationMb: 64,
  concurrency: 1,
  idleMs: 60_000,
});

/**
 * The worker's script. In the bundled back end (dist/main, scripts/build.mjs) it is the bundle
 * inspect-worker.cjs next to this code; from source (tsx, vitest) it is the TypeScript entry,
 * loaded through tsx's require hook registered inside the new thread.
 */
export function spawnCheckWorker(bundleName: string, sourcePath: string, limits: Readonly<CheckLimits>): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: limits.maxOldGenerationMb, maxYoungGenerationSizeMb: limits.maxYoungGenerationMb };
  const bundled = join(__dirname, bundleName);
  if (existsSync(bundled)) return new Worker(bundled, { resourceLimits });
  const tsx = createRequire(__filename).resolve('tsx/cjs');
  return new Worker(`require(${JSON.stringify(tsx)});\nrequire(${JSON.stringify(sourcePath)});`, { eval: true, resourceLimits });
}

const pools = new Map<string, CheckPool<InspectRequest, DocumentInspection>>();

export function inspectionLimits(override: Partial<CheckLimits> = {}): CheckLimits {
  return { ...checkLimitsFromEnv(process.env, { ...DEFAULT_INSPECT_LIMITS }), ...override };
}

/** One pool per distinct limits (in practice one: the app's). */
function poolFor(limits: CheckLimits): CheckPool<InspectRequest, DocumentInspection> {
  const key = JSON.stringify(limits);
  let pool = pools.get(key);
  if (!pool) {
    pool = new CheckPool<InspectRequest, DocumentInspection>(() => spawnCheckWorker('inspect-worker.cjs', join(__dirname, 'inspect-worker.ts'), limits), limits);
    pools.set(key, pool);
  }
  return pool;
}

/** Runs the inspection in a limited worker; rejects with pdf_check_timeout / _out_of_memory / _failed. */
export function inspectIsolated(r: InspectRequest, o: { limits?: Partial<CheckLimits>; hold?: Int32Array } = {}): Promise<DocumentInspection> {
  return poolFor(inspectionLimits(o.limits)).run(r, o.hold ? { hold: o.hold } : {});
}

/**
 * The upload gate's PDF check (pdf-check.ts), off the portal's event loop (issue 13): it runs in a
 * worker thread with a wall-clock and a heap limit (src-shared/documents/check-pool.ts), so a
 * hostile PDF costs the portal one worker, never its other requests. A check that runs out of
 * time or memory rejects with `pdf_check_timeout` / `pdf_check_out_of_memory`, which the gate
 * makes a final refusal (what cannot be checked is not let through the lock).
 *
 * Memory: the check holds the file and its parsed structure in memory, so PDFs are checked one at
 * a time (`concurrency`, default 1) and only up to `limits.maxVerifiedPdfBytes` (src-portal/context.ts).
 * Limits: DEFAULT_PDF_CHECK_LIMITS, then SERIKTES_PDF_CHECK_TIMEOUT_MS, _MEMORY_MB, _CONCURRENCY,
 * then the portal's `limits.pdfCheck`.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CheckPool, checkLimitsFromEnv, type CheckLimits } from '../../src-shared/documents/check-pool';
import type { TrustAnchor } from '../../src-shared/signing/chain';
import type { PdfCheckRequest, PdfFindings } from './pdf-check';

export type { PdfFindings } from './pdf-check';

export const DEFAULT_PDF_CHECK_LIMITS: Readonly<CheckLimits> = Object.freeze({
  timeoutMs: 60_000,
  // The file (≤ maxVerifiedPdfBytes, 32 MB) and its parsed objects, a few times its size.
  maxOldGenerationMb: 512,
  maxYoungGenerationMb: 64,
  concurrency: 1,
  idleMs: 60_000,
});

export function pdfCheckLimits(override: Partial<CheckLimits> = {}): CheckLimits {
  return { ...checkLimitsFromEnv(process.env, { ...DEFAULT_PDF_CHECK_LIMITS }), ...override };
}

/**
 * Bundled (dist/portal, scripts/build.mjs) the worker is the sibling pdf-check-worker.cjs; from source under tsx
 * (npm run portal, vitest) the worker registers tsx's require hook first.
 */
function spawnWorker(limits: Readonly<CheckLimits>): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: limits.maxOldGenerationMb, maxYoungGenerationSizeMb: limits.maxYoungGenerationMb };
  if (__filename.endsWith('.cjs')) return new Worker(join(__dirname, 'pdf-check-worker.cjs'), { resourceLimits });
  const tsx = createRequire(__filename).resolve('tsx/cjs');
  const entry = join(__dirname, 'pdf-check-worker.ts');
  return new Worker(`require(${JSON.stringify(tsx)});\nrequire(${JSON.stringify(entry)});`, { eval: true, resourceLimits });
}

export type PdfChecker = CheckPool<PdfCheckRequest, PdfFindings>;

export function pdfChecker(limits: Partial<CheckLimits> = {}): PdfChecker {
  const l = pdfCheckLimits(limits);
  return new CheckPool<PdfCheckRequest, PdfFindings>(() => spawnWorker(l), l);
}

let shared: PdfChecker | null = null;

/** Checks one PDF in a limited worker; rejects with pdf_check_timeout / _out_of_memory / _failed. */
export function inspectPdf(bytes: Uint8Array, anchors: TrustAnchor[], now: Date, o: { checker?: PdfChecker; hold?: Int32Array } = {}): Promise<PdfFindings> {
  const checker = o.checker ?? (shared ??= pdfChecker());
  return checker.run({ bytes, anchors, now }, o.hold ? { hold: o.hold } : {});
}

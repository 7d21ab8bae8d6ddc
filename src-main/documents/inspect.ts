/**
 * Inspection of one file (issue 9 §2, §3, §5): content type; for a PDF its profile (pages,
 * encryption, PDF/A identification + output intent + embedded fonts, fillable fields, text layer
 * and its language), its anti-forgery serial, the verification of its signatures under the app's
 * trust, the lock state, badges and signer summaries. Everything the package checks, the badges
 * and the verification panel need, as data (src-shared/documents/model.ts).
 *
 * Never throws for a bad file: a broken, encrypted, huge or hostile PDF comes back with a
 * `problems` code. The PDF itself is read in a worker thread with a time and memory limit
 * (inspect-isolated.ts): a check that runs out of either is `pdf_check_timeout` /
 * `pdf_check_out_of_memory`, and the back end's event loop never waits for it. Results are cached per (sha256, context) in the account's
 * `document_inspections` table, where context = trust anchors + options + expected IIN/BIN + the
 * Almaty day (certificates expire and documents age by the day, so tomorrow re-inspects).
 */
import { createHash } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import type Database from 'better-sqlite3';
import { AppError } from '../../src-shared/rpc/errors';
import type { CheckLimits } from '../../src-shared/documents/check-pool';
import type { DocumentInspection } from '../../src-shared/documents/model';
import { almatyDate } from '../../src-shared/time/almaty';
import { sniffContentType } from '../../src-shared/files/content-type';
import { inspectIsolated } from './inspect-isolated';
import { unreadable } from './pdf-inspection';
import { currentAppTrust, type AppTrust } from './trust';

/** PDFs are parsed whole in memory; beyond this the inspection says pdf_too_large instead. */
export const MAX_INSPECT_PDF_BYTES = 100 * 1024 * 1024;
export { TEXT_PAGES } from './pdf-inspection';

export interface InspectOptions {
  expectIin?: string;
  expectBin?: string;
  now?: Date;
  /** The app's trust (defaults to the environment's: SERIKTES_TRUST_DIR, …). */
  trust?: AppTrust;
  textTimeoutMs?: number;
  maxPdfBytes?: number;
  /** The worker's limits over the app's (inspect-isolated.ts), and a test hold (check-pool.ts). */
  check?: Partial<CheckLimits> & { hold?: Int32Array };
}

async function sha256OfFile(path: string): Promise<string> {
  const h = createHash('sha256');
  const fh = await open(path, 'r');
  try {
    for await (const chunk of fh.createReadStream()) h.update(chunk as Buffer);
  } finally {
    await fh.close().catch(() => undefined);
  }
  return h.digest('hex');
}

async function headOf(path: string, n = 4096): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return new Uint8Array(buf.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

/** Inspects a file on disk (not cached; see InspectionCache). */
export async function inspectDocument(path: string, o: InspectOptions = {}, knownSha256?: string): Promise<DocumentInspection> {
  const now = o.now ?? new Date();
  const st = await stat(path).catch(() => null);
  if (!st?.isFile()) return unreadable(knownSha256 ?? '0'.repeat(64), 'application/octet-stream', 0, ['file_missing'], now);
  const sha256 = knownSha256 ?? (await sha256OfFile(path));
  const contentType = sniffContentType(await headOf(path));
  if (contentType !== 'application/pdf') {
    // Not a PDF: type and size only (a detached .p7s next to it is not looked for here).
    return unreadable(sha256, contentType, st.size, [], now);
  }
  if (st.size > (o.maxPdfBytes ?? MAX_INSPECT_PDF_BYTES)) return unreadable(sha256, contentType, st.size, ['pdf_too_large'], now);
  const bytes = new Uint8Array(await readFile(path));
  return inspectPdfBytes(bytes, sha256, o, now);
}

/** Inspects PDF bytes in the limited worker; running out of time or memory is a `problems` code. */
export async function inspectPdfBytes(bytes: Uint8Array, sha256: string, o: InspectOptions, now: Date): Promise<DocumentInspection> {
  const { hold, ...limits } = o.check ?? {};
  const request = {
    bytes,
    sha256,
    now,
    trust: o.trust ?? currentAppTrust(),
    ...(o.expectIin ? { expectIin: o.expectIin } : {}),
    ...(o.expectBin ? { expectBin: o.expectBin } : {}),
    ...(o.textTimeoutMs !== undefined ? { textTimeoutMs: o.textTimeoutMs } : {}),
  };
  try {
    return await inspectIsolated(request, { limits, ...(hold ? { hold } : {}) });
  } catch (e) {
    const code = e instanceof AppError ? e.code : 'pdf_check_failed';
    return unreadable(sha256, 'application/pdf', bytes.length, [code], now);
  }
}

// ---------------------------------------------------------------------------------------------
// Cache

/** The cache context: trust + options + expectations + the Almaty day. */
export function inspectionContext(trust: AppTrust, o: Pick<InspectOptions, 'expectIin' | 'expectBin'>, now: Date): string {
  return createHash('sha256')
    .update(`v1|${trust.context}|iin=${o.expectIin ?? ''}|bin=${o.expectBin ?? ''}|day=${almatyDate(now)}`)
    .digest('hex')
    .slice(0, 32);
}

/** The account's `document_inspections` table (migration v4). */
export class InspectionCache {
  constructor(private readonly sqlite: Database.Database) {}

  get(sha256: string, context: string): DocumentInspection | null {
    const row = this.sqlite.prepare('SELECT json FROM document_inspections WHERE sha256 = ? AND context = ?').get(sha256, context) as { json: string } | undefined;
    if (!row) return null;
    try {
      return JSON.parse(row.json) as DocumentInspection;
    } catch {
      return null;
    }
  }

  put(i: DocumentInspection, context: string): void {
    const stale = new Date(Date.parse(i.inspectedAt) - 3 * 86_400_000).toISOString();
    this.sqlite.transaction(() => {
      this.sqlite.prepare('INSERT OR REPLACE INTO document_inspections (sha256, context, inspected_at, json) VALUES (?, ?, ?, ?)').run(i.sha256, context, i.inspectedAt, JSON.stringify(i));
      // Older days' and other contexts' results of the same file are never read again.
      this.sqlite.prepare('DELETE FROM document_inspections WHERE sha256 = ? AND context <> ? AND inspected_at < ?').run(i.sha256, context, stale);
    })();
  }
}

/**
 * Inspects a file of the store by its hash, through the cache. Concurrent calls for the same
 * (file, context) share one inspection.
 */
const inFlight = new Map<string, Promise<DocumentInspection>>();
const NOT_CACHED = new Set(['file_missing', 'pdf_check_timeout', 'pdf_check_out_of_memory', 'pdf_check_failed']);
export async function inspectCached(cache: InspectionCache, path: string, sha256: string, o: InspectOptions = {}): Promise<DocumentInspection> {
  const now = o.now ?? new Date();
  const trust = o.trust ?? currentAppTrust();
  const context = inspectionContext(trust, o, now);
  const hit = cache.get(sha256, context);
  if (hit) return hit;
  const key = `${sha256}|${context}`;
  const running = inFlight.get(key);
  if (running) return running;
  const p = (async () => {
    const i = await inspectDocument(path, { ...o, now, trust }, sha256);
    // A file that was not there is not remembered: attached again, it is inspected again. Nor is a
    // check that ran out of time or memory (a busy machine): the next look tries again.
    if (!i.problems.some((p) => NOT_CACHED.has(p))) cache.put(i, context);
    return i;
  })().finally(() => inFlight.delete(key));
  inFlight.set(key, p);
  return p;
}

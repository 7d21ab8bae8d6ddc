import type { Db } from './db/schema';
import type { Clock } from './clock';
import type { SmtpSettings } from './settings';
import type { CheckLimits } from '../src-shared/documents/check-pool';

export interface PortalLimits {
  /** Largest file accepted by an upload. */
  maxFileBytes: number;
  /** Largest body of one upload chunk. */
  maxChunkBytes: number;
  sessionTtlMs: number;
  /**
   * Largest PDF checked for its signatures on upload (issue 9; the check holds the file in memory,
   * one at a time). A larger PDF is refused with pdf_too_large: what cannot be checked is not accepted.
   */
  maxVerifiedPdfBytes?: number;
  /**
   * The upload check's worker: wall-clock time, heap, checks at once (issue 13). Over
   * src-portal/documents/inspect.ts DEFAULT_PDF_CHECK_LIMITS and SERIKTES_PDF_CHECK_* env.
   */
  pdfCheck?: Partial<CheckLimits>;
}

export const DEFAULT_LIMITS: PortalLimits = {
  maxFileBytes: 50 * 1024 * 1024,
  maxChunkBytes: 8 * 1024 * 1024,
  sessionTtlMs: 12 * 3600_000,
  maxVerifiedPdfBytes: 32 * 1024 * 1024,
};

/** What every handler, job and worker gets: no globals, so tests run several portals in one process. */
export interface PortalContext {
  db: Db;
  clock: Clock;
  dataDir: string;
  demo: boolean;
  limits: PortalLimits;
  smtp: SmtpSettings | null;
  /** Without SMTP: write each mail as `<mailDir>/<id>.eml` instead (demo mode defaults to `<data>/mail`). */
  mailDir: string | null;
  publicName: string;
  nowIso(): string;
  log(msg: string, err?: unknown): void;
}

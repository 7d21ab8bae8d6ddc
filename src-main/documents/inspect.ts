/**
 * Inspection of one file (issue 9 §2, §3, §5): content type; for a PDF its profile (pages,
 * encryption, PDF/A identification + output intent + embedded fonts, fillable fields, text layer
 * and its language), its anti-forgery serial, the verification of its signatures under the app's
 * trust, the lock state, badges and signer summaries. Everything the package checks, the badges
 * and the verification panel need, as data (src-shared/documents/model.ts).
 *
 * Never throws for a bad file: a broken, encrypted, huge or hostile PDF comes back with a
 * `problems` code. Results are cached per (sha256, context) in the account's
 * `document_inspections` table, where context = trust anchors + options + expected IIN/BIN + the
 * Almaty day (certificates expire and documents age by the day, so tomorrow re-inspects).
 */
import { createHash } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import type Database from 'better-sqlite3';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, PDFStream, decodePDFRawStream, type PDFObject } from 'pdf-lib';
import { documentBadges, signerSummaries } from '../../src-shared/documents/badges';
import { detectLanguage } from '../../src-shared/documents/language';
import { documentLock } from '../../src-shared/documents/lock';
import type { DocumentInspection, PdfProfile } from '../../src-shared/documents/model';
import { serialOfPdf } from '../../src-shared/documents/serial';
import { almatyDate } from '../../src-shared/time/almaty';
import { sniffContentType } from '../../src-shared/files/content-type';
import { fromUtf8 } from '../../src-shared/signing/bytes';
import type { VerificationReport } from '../../src-shared/signing/report';
import { findPdfSignatures, verifyPdf } from '../../src-shared/signing/verify-pdf';
import { onlineRevocation } from '../signing/http';
import { pdfText } from './pdf-text';
import { currentAppTrust, type AppTrust } from './trust';

/** PDFs are parsed whole in memory; beyond this the inspection says pdf_too_large instead. */
export const MAX_INSPECT_PDF_BYTES = 100 * 1024 * 1024;
/** Pages whose text layer is read for the language check. */
export const TEXT_PAGES = 5;

export interface InspectOptions {
  expectIin?: string;
  expectBin?: string;
  now?: Date;
  /** The app's trust (defaults to the environment's: SERIKTES_TRUST_DIR, …). */
  trust?: AppTrust;
  textTimeoutMs?: number;
  maxPdfBytes?: number;
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

// ---------------------------------------------------------------------------------------------
// PDF profile

const N = (s: string) => PDFName.of(s);

function pdfaClaim(doc: PDFDocument): { part: string; conformance?: string } | null {
  const meta = doc.catalog.lookup(N('Metadata'));
  if (!(meta instanceof PDFRawStream)) return null;
  try {
    const xmp = fromUtf8(decodePDFRawStream(meta).decode());
    const part = /pdfaid:part(?:>|=["'])\s*(\d)/.exec(xmp)?.[1];
    if (!part) return null;
    const conformance = /pdfaid:conformance(?:>|=["'])\s*([A-Za-z])/.exec(xmp)?.[1];
    return conformance ? { part, conformance: conformance.toUpperCase() } : { part };
  } catch {
    return null;
  }
}

function hasOutputIntent(doc: PDFDocument): boolean {
  const oi = doc.catalog.lookup(N('OutputIntents'));
  if (!(oi instanceof PDFArray)) return false;
  for (let i = 0; i < oi.size(); i++) {
    const d = oi.lookup(i);
    if (d instanceof PDFDict && d.lookup(N('DestOutputProfile')) instanceof PDFStream) return true;
  }
  return false;
}

/** Every font used by the pages (and the form XObjects they draw) carries its font program. */
function allFontsEmbedded(doc: PDFDocument): boolean {
  const fontsSeen = new Set<PDFObject>();
  const resourcesSeen = new Set<PDFObject>();
  const fontEmbedded = (font: PDFDict, depth = 0): boolean => {
    const subtype = font.lookup(N('Subtype'));
    // Type 3 glyphs are content streams inside the font: nothing external to embed.
    if (subtype === N('Type3')) return true;
    if (subtype === N('Type0')) {
      const kids = font.lookup(N('DescendantFonts'));
      if (!(kids instanceof PDFArray) || kids.size() === 0 || depth > 2) return false;
      for (let i = 0; i < kids.size(); i++) {
        const k = kids.lookup(i);
        if (!(k instanceof PDFDict) || !fontEmbedded(k, depth + 1)) return false;
      }
      return true;
    }
    const fd = font.lookup(N('FontDescriptor'));
    return fd instanceof PDFDict && ['FontFile', 'FontFile2', 'FontFile3'].some((k) => fd.lookup(N(k)) instanceof PDFStream);
  };
  const walk = (res: PDFObject | undefined, depth: number): boolean => {
    if (!(res instanceof PDFDict) || resourcesSeen.has(res) || depth > 8) return true;
    resourcesSeen.add(res);
    const fonts = res.lookup(N('Font'));
    if (fonts instanceof PDFDict) {
      for (const [, ref] of fonts.entries()) {
        const key = ref instanceof PDFRef ? ref : undefined;
        if (key && fontsSeen.has(key)) continue;
        if (key) fontsSeen.add(key);
        const f = doc.context.lookup(ref);
        if (!(f instanceof PDFDict) || !fontEmbedded(f)) return false;
      }
    }
    const xobjects = res.lookup(N('XObject'));
    if (xobjects instanceof PDFDict) {
      for (const [, ref] of xobjects.entries()) {
        const x = doc.context.lookup(ref);
        if (x instanceof PDFStream && x.dict.lookup(N('Subtype')) === N('Form') && !walk(x.dict.lookup(N('Resources')), depth + 1)) return false;
      }
    }
    return true;
  };
  for (const page of doc.getPages()) {
    const res = page.node.Resources() ?? page.node.getInheritableAttribute(N('Resources'));
    if (!walk(res, 0)) return false;
  }
  return true;
}

/** Fillable AcroForm fields other than signature fields (an XFA form counts as one). */
function fillableFields(doc: PDFDocument): number {
  const acro = doc.catalog.lookup(N('AcroForm'));
  if (!(acro instanceof PDFDict)) return 0;
  let count = acro.lookup(N('XFA')) ? 1 : 0;
  const seen = new Set<PDFObject>();
  const walk = (arr: PDFArray, inheritedType: string | undefined, depth: number) => {
    if (depth > 32) return;
    for (let i = 0; i < arr.size(); i++) {
      const raw = arr.get(i);
      if (seen.has(raw)) continue;
      seen.add(raw);
      const f = arr.lookup(i);
      if (!(f instanceof PDFDict)) continue;
      const ft = f.lookup(N('FT'));
      const type = ft instanceof PDFName ? ft.asString().replace(/^\//, '') : inheritedType;
      const kids = f.lookup(N('Kids'));
      // Kids that carry /T are fields of their own; kids without /T are this field's widgets.
      const fieldKids = kids instanceof PDFArray && Array.from({ length: kids.size() }, (_, k) => kids.lookup(k)).some((k) => k instanceof PDFDict && k.has(N('T')));
      if (kids instanceof PDFArray && fieldKids) walk(kids, type, depth + 1);
      else if (type !== 'Sig') count++;
    }
  };
  const fields = acro.lookup(N('Fields'));
  if (fields instanceof PDFArray) walk(fields, undefined, 0);
  return count;
}

// ---------------------------------------------------------------------------------------------

function unreadable(sha256: string, contentType: string, size: number, problems: string[], now: Date, pdf: PdfProfile | null = null): DocumentInspection {
  return {
    sha256,
    contentType,
    size,
    pdf,
    serial: null,
    lock: { state: 'unsigned', reasons: [] },
    badges: ['unsigned'],
    signers: [],
    report: null,
    problems,
    inspectedAt: now.toISOString(),
  };
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

export async function inspectPdfBytes(bytes: Uint8Array, sha256: string, o: InspectOptions, now: Date): Promise<DocumentInspection> {
  const contentType = 'application/pdf';
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
  } catch {
    return unreadable(sha256, contentType, bytes.length, ['pdf_unreadable'], now);
  }
  const problems: string[] = [];
  let pages = 0;
  try {
    pages = doc.getPageCount();
  } catch {
    problems.push('pdf_unreadable');
  }
  if (doc.isEncrypted) {
    const profile: PdfProfile = { pages, encrypted: true, pdfa: null, fillableFields: 0, textChars: 0, textLanguage: 'unknown' };
    return unreadable(sha256, contentType, bytes.length, ['pdf_encrypted'], now, profile);
  }

  let claim: ReturnType<typeof pdfaClaim> = null;
  let fields = 0;
  let fontsOk = false;
  let serial: string | null = null;
  try {
    claim = pdfaClaim(doc);
    fields = fillableFields(doc);
    fontsOk = allFontsEmbedded(doc);
    serial = serialOfPdf(doc);
  } catch {
    if (!problems.includes('pdf_unreadable')) problems.push('pdf_structure_damaged');
  }

  const text = await pdfText(bytes, { maxPages: TEXT_PAGES, timeoutMs: o.textTimeoutMs ?? 10_000 }).catch(() => ({ text: '', pagesRead: 0, problem: 'unreadable' as const }));
  if (text.problem === 'timeout') problems.push('pdf_text_timeout');
  if (text.problem === 'unreadable' && text.pagesRead === 0) problems.push('pdf_text_unreadable');
  const guess = detectLanguage(text.text);
  const pdf: PdfProfile = {
    pages,
    encrypted: false,
    pdfa: claim ? { part: claim.part, ...(claim.conformance ? { conformance: claim.conformance } : {}), outputIntent: hasOutputIntent(doc), fontsEmbedded: fontsOk } : null,
    fillableFields: fields,
    textChars: text.text.replace(/\s+/g, '').length,
    textLanguage: guess.language,
    ...(guess.present.length ? { textLanguagesPresent: guess.present } : {}),
    textPagesRead: text.pagesRead,
  };

  let report: VerificationReport | null = null;
  if (findPdfSignatures(bytes).length > 0) {
    const trust = o.trust ?? currentAppTrust();
    try {
      report = await verifyPdf(bytes, {
        anchors: trust.anchors,
        now,
        ...(trust.online ? { revocation: onlineRevocation } : {}),
        ...(o.expectIin ? { expectedIin: o.expectIin } : {}),
        ...(o.expectBin ? { expectedBin: o.expectBin } : {}),
      });
    } catch {
      problems.push('verification_failed');
    }
  }
  const lock = documentLock(report);
  return {
    sha256,
    contentType,
    size: bytes.length,
    pdf,
    serial,
    lock: { state: lock.state, reasons: lock.reasons },
    badges: documentBadges(report, lock, { stamped: serial !== null }),
    signers: signerSummaries(report),
    report,
    problems,
    inspectedAt: now.toISOString(),
  };
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
    // A file that was not there is not remembered: attached again, it is inspected again.
    if (!i.problems.includes('file_missing')) cache.put(i, context);
    return i;
  })().finally(() => inFlight.delete(key));
  inFlight.set(key, p);
  return p;
}

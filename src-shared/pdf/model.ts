/**
 * The bounded PDF reader's object model (issue 13). One reader for every PDF the app and the
 * portal look at: xref tables, xref streams, object streams and the chain of incremental
 * revisions, with caps on everything an attacker controls (inflated bytes, object count, nesting,
 * object-stream size). Values are plain immutable classes so two revisions of a document can be
 * compared structurally (src-shared/signing/modifications.ts).
 *
 * Offsets are byte offsets into the whole file. Nothing here touches Node or the DOM.
 */

import type { ByteSource } from './source';

/** A name without its leading slash, #xx escapes decoded: `/Type` → `Type`. */
export class PdfName {
  constructor(readonly name: string) {}
}

/** An indirect reference `num gen R`. */
export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
  get key(): string {
    return `${this.num} ${this.gen}`;
  }
}

/** A literal `( … )` or hex `< … >` string, as its decoded bytes. */
export class PdfString {
  constructor(
    readonly bytes: Uint8Array,
    readonly hex: boolean,
  ) {}
  /** Text string semantics: UTF-16BE with BOM, UTF-8 with BOM, else PDFDocEncoding (≈ Latin-1). */
  text(): string {
    return decodePdfText(this.bytes);
  }
}

export class PdfDict {
  constructor(readonly entries: ReadonlyMap<string, PdfValue>) {}
  get(key: string): PdfValue | undefined {
    return this.entries.get(key);
  }
  has(key: string): boolean {
    return this.entries.has(key);
  }
  keys(): string[] {
    return [...this.entries.keys()];
  }
  /** The value of a name entry (`/Type /Page` → 'Page'), else undefined. */
  name(key: string): string | undefined {
    const v = this.entries.get(key);
    return v instanceof PdfName ? v.name : undefined;
  }
}

/**
 * A stream object: its dictionary and where its raw (still encoded) data sits in the file.
 * Streams never live inside object streams, so the offsets are always file offsets.
 */
export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    readonly dataStart: number,
    readonly dataLength: number,
  ) {}
}

export type PdfValue = null | boolean | number | PdfName | PdfString | PdfRef | PdfValue[] | PdfDict | PdfStream;

/** Where an object lives, per one xref section. */
export type XrefEntry =
  | { kind: 'offset'; offset: number; gen: number }
  | { kind: 'compressed'; stream: number; index: number }
  | { kind: 'free'; gen: number };

export interface PdfLimits {
  /** Decoded bytes of one stream (8 MiB). */
  maxStreamBytes: number;
  /** Decoded bytes of all streams of one document together (64 MiB). */
  maxDocumentInflateBytes: number;
  /** Objects in the xref of one revision, and objects in one object stream. */
  maxObjects: number;
  /** Nesting of arrays and dictionaries inside one object. */
  maxDepth: number;
  /** Decoded bytes of one object stream (/Type /ObjStm). */
  maxObjectStreamBytes: number;
  /** Incremental revisions in the /Prev chain. */
  maxRevisions: number;
}

export const DEFAULT_PDF_LIMITS: Readonly<PdfLimits> = Object.freeze({
  maxStreamBytes: 8 * 1024 * 1024,
  maxDocumentInflateBytes: 64 * 1024 * 1024,
  maxObjects: 500_000,
  maxDepth: 100,
  maxObjectStreamBytes: 8 * 1024 * 1024,
  maxRevisions: 1_000,
});

/** Every way the reader refuses a file; each is a translated error code (i18n `errors.*`). */
export const PDF_READ_ERRORS = [
  'pdf_invalid', // not a PDF, or its structure cannot be read (no startxref, broken xref, bad object)
  'pdf_truncated', // ends before an object, stream or xref section it points to
  'pdf_encrypted', // /Encrypt in the trailer: the app does not read encrypted documents
  'pdf_inflate_limit', // a stream, or the document's streams together, inflate beyond the caps
  'pdf_too_many_objects', // more objects than maxObjects
  'pdf_nesting_too_deep', // arrays/dictionaries nested deeper than maxDepth
  'pdf_object_stream_too_large', // an object stream beyond maxObjectStreamBytes
  'pdf_too_many_revisions', // a /Prev chain longer than maxRevisions, or a loop
  'pdf_unsupported_filter', // a stream filter the reader does not decode (only when its data is asked for)
] as const;
export type PdfReadErrorCode = (typeof PDF_READ_ERRORS)[number];

export class PdfReadError extends Error {
  constructor(
    readonly code: PdfReadErrorCode,
    message: string,
    /** Where it happened, when known: object number and/or file offset. */
    readonly at?: { object?: number; offset?: number },
  ) {
    super(message);
    this.name = 'PdfReadError';
  }
}

/** One incremental revision: the part of the file from the previous revision's end to this one's `%%EOF`. */
export interface PdfRevision {
  /** 0 = the original document, then one per incremental update, oldest first. */
  index: number;
  /** Offset of this revision's xref section (`xref` keyword or the xref stream object). */
  startxref: number;
  /** Offset just past this revision's `%%EOF` marker and the end-of-line after it (if any). */
  end: number;
  xrefKind: 'table' | 'stream';
  /** This section's trailer (for an xref stream: the stream's dictionary). */
  trailer: PdfDict;
  /** Entries defined by this section only (a hybrid file's /XRefStm entries included). */
  entries: ReadonlyMap<number, XrefEntry>;
}

/** The document as of one revision: later revisions do not exist for it. */
export interface PdfView {
  readonly revision: PdfRevision;
  /** The cumulative xref: for each object number the entry in force at this revision. */
  readonly xref: ReadonlyMap<number, XrefEntry>;
  /** The object `num` as of this revision (undefined when free or absent). Cached per view. */
  object(num: number): PdfValue | undefined;
  /** Follows a reference (chains of references too) to its value; other values come back as they are. */
  resolve(v: PdfValue | undefined): PdfValue | undefined;
  /** Resolves and returns a dictionary (a stream's dictionary too), else undefined. */
  dict(v: PdfValue | undefined): PdfDict | undefined;
  /** The trailer's /Root. Throws pdf_invalid when absent. */
  catalog(): PdfDict;
  /** Leaf pages in order: a cycle-safe walk of /Pages with inherited attributes NOT merged. */
  pages(): { ref: PdfRef; dict: PdfDict }[];
  /** A stream's data with its filters applied (FlateDecode with predictors; others → pdf_unsupported_filter), capped. */
  streamData(s: PdfStream): Uint8Array;
}

/** A document read from any byte source (openPdfSource): a file on disk is never loaded whole. */
export interface PdfSourceDocument {
  /** The file's length in bytes. */
  readonly length: number;
  readonly source: ByteSource;
  readonly limits: Readonly<PdfLimits>;
  /** Oldest first; the last one is the document as a viewer shows it. */
  readonly revisions: readonly PdfRevision[];
  /** The document as of revision `index` (default: the last). Views share the document's inflate budget. */
  view(index?: number): PdfView;
  /** The revision whose `end` equals `offset` (trailing whitespace after %%EOF tolerated), if any. */
  revisionEndingAt(offset: number): PdfRevision | undefined;
}

/** A document in memory (openPdf): the same reader, and the file's bytes for callers that compare raw data. */
export interface PdfDocument extends PdfSourceDocument {
  readonly bytes: Uint8Array;
}

/** PDF text strings: UTF-16BE (FE FF), UTF-8 (EF BB BF), otherwise PDFDocEncoding, read as Latin-1. */
export function decodePdfText(b: Uint8Array): string {
  if (b[0] === 0xfe && b[1] === 0xff) {
    let s = '';
    for (let i = 2; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i]! << 8) | b[i + 1]!);
    return s;
  }
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return new TextDecoder('utf-8').decode(b.subarray(3));
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/**
 * Signature discovery on the bounded reader (issue 13): the signature fields of the document's
 * AcroForm (/Fields with /Kids, /FT /Sig inherited, /V → /Type /Sig or /DocTimeStamp), the revision
 * each signature covers, and the checks that make "the same signed bytes" one file only: the
 * ByteRange starts at 0, ends at a revision's end, and its gap is exactly the /Contents hex string
 * of its own dictionary, holding the DER CMS followed by zero padding and nothing else.
 *
 * Fields are collected from the last revisions too (newest first), so a signature whose field a
 * later update removed is still found — and its analysis reports the removal.
 */
import type { PdfDict} from '../pdf/model';
import { PdfReadError, PdfRef, PdfString, type PdfDocument, type PdfReadErrorCode, type PdfValue, type PdfView } from '../pdf/model';
import { openPdf } from '../pdf/reader';
import { fromHex, latin1 } from './bytes';
import { derLength } from './der';
import { arrayOf, nameOf, numberOf, textOf } from './pdf-compare';
import { signatureFields, type SignatureFieldRef } from './signature-fields';

export { pageSignatureFields, signatureFields, type SignatureFieldRef } from './signature-fields';

/** A FieldMDP lock (ISO 32000 12.8.2.4): which fields a signature forbids changing afterwards. */
export interface FieldLock {
  action: 'All' | 'Include' | 'Exclude';
  fields: string[];
}

/** Why a signature's bytes are not one well-formed signed revision (report reason codes). */
export type SignatureProblem = 'pdf_byte_range_invalid' | 'pdf_byte_range_not_revision_end' | 'pdf_byte_range_not_contents' | 'signature_contents_altered' | PdfReadErrorCode;

export interface FoundPdfSignature {
  byteRange: [number, number, number, number];
  cms: Uint8Array;
  /** The signature dictionary's object number. */
  objectNumber?: number;
  subFilter?: string;
  type?: string;
  docMdpPermission?: number;
  fieldMdp?: FieldLock[];
  name?: string;
  reason?: string;
  location?: string;
  claimedTime?: string;
  fieldName?: string;
  /** The signature field's object number. */
  fieldObject?: number;
  /** Index of the revision this signature covers (doc.revisionEndingAt(ByteRange end)). */
  revision?: number;
  problems: SignatureProblem[];
}

export interface PdfSignatureScan {
  /** The parsed document, unless the reader refused it. */
  doc?: PdfDocument;
  readError?: PdfReadError;
  /** Oldest first (by the end of the signed range). */
  signatures: FoundPdfSignature[];
}

/** PDF date "D:20261123153000Z" / "+05'00'" → ISO. */
export function parsePdfDate(s: string | undefined): string | undefined {
  const m = s && /D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?/.exec(s);
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', se = '00', tz, th = '00', tm = '00'] = m;
  const off = tz === '+' || tz === '-' ? `${tz}${th}:${tm}` : 'Z';
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${se}${off}`);
  return isNaN(date.getTime()) ? undefined : date.toISOString();
}

function transformParams(view: PdfView, sig: PdfDict, field: PdfDict): { docMdp?: number; locks: FieldLock[] } {
  const locks: FieldLock[] = [];
  let docMdp: number | undefined;
  const lockOf = (d: PdfDict | undefined) => {
    const action = nameOf(view.resolve(d?.get('Action')));
    if (action !== 'All' && action !== 'Include' && action !== 'Exclude') return;
    const fields = arrayOf(view, d!.get('Fields'))
      .map((v) => textOf(view.resolve(v)))
      .filter((s): s is string => s !== undefined);
    locks.push({ action, fields });
  };
  for (const r of arrayOf(view, sig.get('Reference'))) {
    const ref = view.dict(r);
    const method = nameOf(view.resolve(ref?.get('TransformMethod')));
    const params = view.dict(ref?.get('TransformParams'));
    if (method === 'DocMDP') docMdp = numberOf(view.resolve(params?.get('P'))) ?? 2;
    else if (method === 'FieldMDP') lockOf(params);
  }
  // The field's own lock dictionary says the same for its signer (a writer may set only one of them).
  lockOf(view.dict(field.get('Lock')));
  return { ...(docMdp !== undefined ? { docMdp } : {}), locks };
}

/** The value of a hex digit byte, or -1. */
function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** `<hex>` exactly (no whitespace, an even count of digits) decoded straight from the file, else undefined. */
function gapHex(bytes: Uint8Array, from: number, to: number): { value: Uint8Array; upper: boolean; lower: boolean } | undefined {
  if (bytes[from] !== 0x3c || bytes[to - 1] !== 0x3e || (to - from - 2) % 2 !== 0) return undefined;
  const value = new Uint8Array((to - from - 2) / 2);
  let upper = false;
  let lower = false;
  for (let i = 0, at = from + 1; i < value.length; i++, at += 2) {
    const x = bytes[at]!;
    const y = bytes[at + 1]!;
    const hi = hexValue(x);
    const lo = hexValue(y);
    if (hi < 0 || lo < 0) return undefined;
    upper ||= (x >= 0x41 && x <= 0x46) || (y >= 0x41 && y <= 0x46);
    lower ||= x >= 0x61 || y >= 0x61;
    value[i] = (hi << 4) | lo;
  }
  return { value, upper, lower };
}

/** The gap between the two ranges must be `<hex>` exactly: the dictionary's /Contents, at its place in the object. */
function checkGap(doc: PdfDocument, view: PdfView, found: FoundPdfSignature, contents: PdfValue | undefined): void {
  const bytes = doc.bytes;
  const [a, b, c, d] = found.byteRange;
  const ints = found.byteRange.every((n) => Number.isSafeInteger(n) && n >= 0);
  if (!ints || a !== 0 || b <= 0 || c <= b + 1 || c + d > bytes.length) {
    found.problems.push('pdf_byte_range_invalid');
    return;
  }
  const rev = doc.revisionEndingAt(c + d);
  if (rev) found.revision = rev.index;
  else found.problems.push('pdf_byte_range_not_revision_end');
  const gap = gapHex(bytes, b, c);
  const entry = found.objectNumber !== undefined ? view.xref.get(found.objectNumber) : undefined;
  const inObject = entry?.kind === 'offset' && entry.offset < b && /\/Contents\s*$/.test(latin1(bytes, Math.max(0, b - 64), b));
  if (gap) found.cms = gap.value.subarray(0, Math.min(gap.value.length, derLength(gap.value)));
  if (!gap || !inObject || !(contents instanceof PdfString) || !sameContent(gap.value, contents.bytes)) {
    found.problems.push('pdf_byte_range_not_contents');
    return;
  }
  const len = derLength(gap.value);
  // Only zero padding after the CMS, and one letter case throughout: otherwise the same signed
  // bytes could be shipped as a different file (a "new version" carrying an old signature).
  if (len > gap.value.length || len < 2 || gap.value.subarray(len).some((x) => x !== 0) || (gap.upper && gap.lower)) found.problems.push('signature_contents_altered');
}

function sameContent(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function describe(doc: PdfDocument, view: PdfView, sf: SignatureFieldRef): FoundPdfSignature | undefined {
  const sig = view.dict(sf.value);
  if (!sig) return undefined;
  const br = arrayOf(view, sig.get('ByteRange')).map((v) => numberOf(view.resolve(v)) ?? -1);
  if (br.length !== 4) return undefined;
  const found: FoundPdfSignature = { byteRange: br as [number, number, number, number], cms: new Uint8Array(), problems: [] };
  if (sf.value instanceof PdfRef) found.objectNumber = sf.value.num;
  if (sf.fieldNum !== undefined) found.fieldObject = sf.fieldNum;
  if (sf.name) found.fieldName = sf.name;
  const type = nameOf(view.resolve(sig.get('Type')));
  if (type) found.type = type;
  const sub = nameOf(view.resolve(sig.get('SubFilter')));
  if (sub) found.subFilter = sub;
  const mdp = transformParams(view, sig, sf.field);
  if (mdp.docMdp !== undefined) found.docMdpPermission = mdp.docMdp;
  if (mdp.locks.length) found.fieldMdp = mdp.locks;
  for (const [k, key] of [['name', 'Name'], ['reason', 'Reason'], ['location', 'Location']] as const) {
    const v = textOf(view.resolve(sig.get(key)));
    if (v) found[k] = v;
  }
  const m = parsePdfDate(textOf(view.resolve(sig.get('M'))));
  if (m) found.claimedTime = m;
  checkGap(doc, view, found, view.resolve(sig.get('Contents')));
  return found;
}

/**
 * Older revisions searched for signature fields a later update removed. Each view costs the merge
 * of every xref section before it, so a file with hundreds of revisions is searched only near its
 * end (a stripped signature leaves the file unsigned, which the package rules refuse anyway).
 */
const MAX_VIEWS_SEARCHED = 64;

/** Signatures of an opened document: the signature fields of recent revisions, each signature once. */
export function documentSignatures(doc: PdfDocument): FoundPdfSignature[] {
  const byRange = new Map<string, FoundPdfSignature>();
  const seenDefinitions = new Set<string>();
  const last = doc.revisions.length - 1;
  for (let i = last; i >= Math.max(0, last - MAX_VIEWS_SEARCHED + 1); i--) {
    const view = doc.view(i);
    for (const sf of signatureFields(view)) {
      // The same signature dictionary (same object, same place in the file) is read once.
      const e = sf.value instanceof PdfRef ? view.xref.get(sf.value.num) : undefined;
      const def = e?.kind === 'offset' ? `${sf.value instanceof PdfRef ? sf.value.num : ''}@${e.offset}` : undefined;
      if (def && seenDefinitions.has(def)) continue;
      if (def) seenDefinitions.add(def);
      const br = arrayOf(view, view.dict(sf.value)?.get('ByteRange')).map((v) => numberOf(view.resolve(v)));
      if (byRange.has(br.join(','))) continue;
      const f = describe(doc, view, sf);
      if (f) byRange.set(f.byteRange.join(','), f);
    }
  }
  const end = (f: FoundPdfSignature) => f.byteRange[2] + f.byteRange[3];
  return [...byRange.values()].sort((x, y) => end(x) - end(y));
}

/**
 * A file the reader refuses may still carry signatures: found by their /ByteRange (never trusted
 * for anything but "this file is signed"), each marked with the reader's refusal code.
 */
function signaturesByRegex(pdf: Uint8Array, code: PdfReadErrorCode): FoundPdfSignature[] {
  const text = latin1(pdf);
  const re = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;
  const out = new Map<string, FoundPdfSignature>();
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const br = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as [number, number, number, number];
    const [a, b, c, d] = br;
    let cms: Uint8Array = new Uint8Array();
    if (a === 0 && b > 0 && c > b + 1 && c + d <= pdf.length && pdf[b] === 0x3c && pdf[c - 1] === 0x3e) {
      const hex = latin1(pdf, b + 1, c - 1);
      if (/^[0-9A-Fa-f]*$/.test(hex) && hex.length % 2 === 0) {
        const all = fromHex(hex);
        cms = all.subarray(0, Math.min(all.length, derLength(all)));
      }
    }
    out.set(br.join(','), { byteRange: br, cms, problems: [code] });
  }
  return [...out.values()].sort((x, y) => x.byteRange[2] + x.byteRange[3] - (y.byteRange[2] + y.byteRange[3]));
}

export function scanPdfSignatures(pdf: Uint8Array): PdfSignatureScan {
  let doc: PdfDocument;
  try {
    doc = openPdf(pdf);
    return { doc, signatures: documentSignatures(doc) };
  } catch (e) {
    if (!(e instanceof PdfReadError)) throw e;
    return { readError: e, signatures: signaturesByRegex(pdf, e.code) };
  }
}

/** The signatures of a PDF, oldest first (a refused file: the ones its /ByteRange entries show, with the refusal code). */
export function findPdfSignatures(pdf: Uint8Array): FoundPdfSignature[] {
  return scanPdfSignatures(pdf).signatures;
}

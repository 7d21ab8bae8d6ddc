/**
 * Verifies every signature in a PDF: finds each /ByteRange, takes the CMS from
 * the gap, verifies it over the covered bytes, and tells whether the signature
 * covers the whole file and what later incremental updates contain.
 */
import { fromHex, latin1 } from './bytes';
import { derLength } from './der';
import { digestRanges } from './digest';
import { combineVerdicts, verdictOf, type PdfRevisionChanges, type PdfSignatureInfo, type SignatureReport, type VerificationReport } from './report';
import { signedParts } from './pades';
import { verifyCmsSigners, type VerifyOptions } from './verify-cms';

export interface FoundPdfSignature {
  byteRange: [number, number, number, number];
  cms: Uint8Array;
  objectNumber?: number;
  subFilter?: string;
  type?: string;
  docMdpPermission?: number;
  name?: string;
  reason?: string;
  location?: string;
  claimedTime?: string;
  fieldName?: string;
}

function pdfStringValue(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.startsWith('<')) {
    const b = fromHex(raw.slice(1, -1));
    if (b[0] === 0xfe && b[1] === 0xff) {
      let s = '';
      for (let i = 2; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i]! << 8) | b[i + 1]!);
      return s;
    }
    return String.fromCharCode(...b);
  }
  const inner = raw.slice(1, -1).replace(/\\([\\()])/g, '$1');
  if (inner.startsWith('\xfe\xff')) {
    let s = '';
    for (let i = 2; i + 1 < inner.length; i += 2) s += String.fromCharCode((inner.charCodeAt(i) << 8) | inner.charCodeAt(i + 1));
    return s;
  }
  return inner;
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

export function findPdfSignatures(pdf: Uint8Array): FoundPdfSignature[] {
  const text = latin1(pdf);
  const re = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;
  const out: FoundPdfSignature[] = [];
  const seen = new Set<string>();
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const br = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as [number, number, number, number];
    const key = br.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    const [a, b, c, d] = br;
    if (a !== 0 || b <= 0 || c < b || c + d > pdf.length) {
      out.push({ byteRange: br, cms: new Uint8Array() });
      continue;
    }
    const gap = text.slice(a + b, c).trim();
    const hex = gap.startsWith('<') && gap.endsWith('>') ? gap.slice(1, -1) : '';
    let cms = fromHex(hex);
    cms = cms.subarray(0, Math.min(cms.length, derLength(cms)));
    // The enclosing object: from "N G obj" before the match to "endobj" after it (the hex was skipped above).
    const objStart = text.lastIndexOf(' obj', m.index);
    const headMatch = /(\d+)\s+\d+\s*$/.exec(text.slice(Math.max(0, objStart - 24), objStart));
    const dictStart = Math.max(0, objStart);
    const endObj = text.indexOf('endobj', c);
    const dictText = text.slice(dictStart, b) + text.slice(c, endObj < 0 ? c + 4096 : endObj);
    const field = (k: string) => {
      const mm = new RegExp(`/${k}\\s*(\\((?:\\\\.|[^\\\\)])*\\)|<[0-9A-Fa-f\\s]*>|/[^\\s/<>\\[\\]()]+)`).exec(dictText);
      return mm?.[1];
    };
    const found: FoundPdfSignature = { byteRange: br, cms };
    if (headMatch) found.objectNumber = Number(headMatch[1]);
    const sub = field('SubFilter');
    if (sub) found.subFilter = sub.replace(/^\//, '');
    if (/\/TransformMethod\s*\/DocMDP/.test(dictText)) {
      const p = /\/TransformParams\s*<<[^>]*?\/P\s+(\d)/.exec(dictText);
      found.docMdpPermission = p ? Number(p[1]) : 2;
    }
    const type = field('Type');
    if (type) found.type = type.replace(/^\//, '');
    const set = (k: 'name' | 'reason' | 'location', pdfKey: string) => {
      const v = pdfStringValue(field(pdfKey));
      if (v) found[k] = v;
    };
    set('name', 'Name');
    set('reason', 'Reason');
    set('location', 'Location');
    const mTime = parsePdfDate(pdfStringValue(field('M')));
    if (mTime) found.claimedTime = mTime;
    if (found.objectNumber !== undefined) {
      const vIdx = text.search(new RegExp(`/V\\s+${found.objectNumber}\\s+0\\s+R\\b`));
      if (vIdx >= 0) {
        const wStart = text.lastIndexOf(' obj', vIdx);
        const wEnd = text.indexOf('endobj', vIdx);
        const wText = text.slice(wStart, wEnd < 0 ? vIdx + 2048 : wEnd);
        const t = /\/T\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)/.exec(wText);
        const name = pdfStringValue(t?.[1]);
        if (name) found.fieldName = name;
      }
    }
    out.push(found);
  }
  return out.sort((x, y) => x.byteRange[2] + x.byteRange[3] - (y.byteRange[2] + y.byteRange[3]));
}

const SIGNATURE_TYPES = /\/Type\s*\/(Sig|DocTimeStamp)\b|\/FT\s*\/Sig\b|\/DSS\b|\/Type\s*\/XRef\b/;

/** The keys of a page dictionary that decide what is drawn (Annots may change: a later signature's widget). */
const PAGE_DRAWING_KEYS = ['Contents', 'MediaBox', 'CropBox', 'Rotate', 'Resources', 'UserUnit'];

/** A tiny reader for the PDF objects a page dictionary holds inline (dicts, arrays, names, numbers, refs, strings). */
function readPdfValue(src: string, at: number): { value: unknown; end: number } {
  const skip = (i: number) => {
    while (i < src.length && /\s/.test(src[i]!)) i++;
    return i;
  };
  let i = skip(at);
  if (src.startsWith('<<', i)) {
    const dict: Record<string, unknown> = {};
    i += 2;
    for (;;) {
      i = skip(i);
      if (i >= src.length || src.startsWith('>>', i)) return { value: dict, end: i + 2 };
      const key = /^\/[^\s/<>[\]()]*/.exec(src.slice(i, i + 200))?.[0];
      if (!key) return { value: dict, end: src.length };
      const v = readPdfValue(src, i + key.length);
      dict[key] = v.value;
      i = v.end;
    }
  }
  if (src[i] === '[') {
    const arr: unknown[] = [];
    i++;
    for (;;) {
      i = skip(i);
      if (i >= src.length || src[i] === ']') return { value: arr, end: i + 1 };
      const v = readPdfValue(src, i);
      if (v.end <= i) return { value: arr, end: src.length };
      arr.push(v.value);
      i = v.end;
    }
  }
  const ref = /^(\d+)\s+(\d+)\s+R\b/.exec(src.slice(i, i + 40));
  if (ref) return { value: `${ref[1]} ${ref[2]} R`, end: i + ref[0].length };
  if (src[i] === '(') {
    let depth = 0;
    for (let j = i; j < src.length; j++) {
      if (src[j] === '\\') j++;
      else if (src[j] === '(') depth++;
      else if (src[j] === ')' && --depth === 0) return { value: src.slice(i, j + 1), end: j + 1 };
    }
    return { value: src.slice(i), end: src.length };
  }
  const atom = /^(<[0-9A-Fa-f\s]*>|\/[^\s/<>[\]()]*|[^\s/<>[\]()]+)/.exec(src.slice(i, i + 200))?.[0] ?? '';
  return { value: /^-?(\d+\.?\d*|\.\d+)$/.test(atom) ? Number(atom) : atom, end: i + Math.max(atom.length, 1) };
}

/** Structural equality of read PDF values (dictionary key order does not matter; writers differ). */
function samePdfValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => samePdfValue(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && samePdfValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

/** The page dictionary of an object body (`N G obj << … >>`), or null. */
function pageDict(body: string): Record<string, unknown> | null {
  const open = body.indexOf('<<');
  if (open < 0) return null;
  const v = readPdfValue(body, open).value;
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/**
 * Whether page object `num`, as rewritten after the signed revision, draws differently from its
 * last definition inside the signed bytes. When the old definition cannot be found in plain text
 * (it sits in a compressed object stream) only the new body is known: then nothing is claimed here.
 */
function pageDrawsDifferently(pdf: Uint8Array, revisionEnd: number, num: number, newBody: string): boolean {
  const signed = latin1(pdf, 0, revisionEnd);
  const re = new RegExp(`(?<!\\d)${num}\\s+\\d+\\s+obj\\b`, 'g');
  let last = -1;
  for (let m = re.exec(signed); m; m = re.exec(signed)) last = m.index;
  if (last < 0) return false;
  const end = signed.indexOf('endobj', last);
  const oldBody = signed.slice(last, end < 0 ? Math.min(signed.length, last + 8192) : end);
  const before = pageDict(oldBody);
  const after = pageDict(newBody);
  if (!before || !after) return true;
  return PAGE_DRAWING_KEYS.some((k) => !samePdfValue(before[`/${k}`], after[`/${k}`]));
}

/** What the bytes after a signed revision contain (incremental updates only add objects). */
export function changesAfter(pdf: Uint8Array, revisionEnd: number): PdfRevisionChanges {
  const bytesAfter = pdf.length - revisionEnd;
  if (bytesAfter <= 0) return { bytesAfter: 0, revisionsAfter: 0, kind: 'none', objects: [] };
  const tail = latin1(pdf, revisionEnd);
  const revisionsAfter = (tail.match(/%%EOF/g) ?? []).length;
  const objects: PdfRevisionChanges['objects'] = [];
  // (?<!\d): without it the regex retries at every digit of a long run (a signature's zero padding): quadratic.
  const re = /(?<!\d)(\d+)\s+(\d+)\s+obj\b/g;
  const starts: { num: number; at: number }[] = [];
  for (let m = re.exec(tail); m; m = re.exec(tail)) starts.push({ num: Number(m[1]), at: m.index });
  let other = false;
  for (const [i, s] of starts.entries()) {
    const end = starts[i + 1]?.at ?? tail.length;
    const body = tail.slice(s.at, Math.min(end, s.at + 8192));
    let type = 'other';
    if (/\/Type\s*\/(Sig|DocTimeStamp)\b/.test(body)) type = 'signature';
    else if (/\/FT\s*\/Sig\b/.test(body)) type = 'signature_field';
    else if (/\/Type\s*\/XRef\b/.test(body)) type = 'xref';
    else if (/\/Type\s*\/Catalog\b/.test(body)) type = 'catalog';
    else if (/\/Type\s*\/Page\b/.test(body)) type = 'page';
    else if (/\/Type\s*\/ObjStm\b/.test(body)) type = 'object_stream';
    else if (/^\d+\s+\d+\s+obj\s*\[[^\]]*\]\s*endobj/.test(body)) type = 'array';
    else if (/\/Fields\b/.test(body) && /\/SigFlags\b/.test(body)) type = 'form';
    else if (SIGNATURE_TYPES.test(body)) type = 'signature_related';
    // A page rewritten by a later signature may gain a widget in /Annots; anything that changes what is drawn is an edit.
    if (type === 'page' && pageDrawsDifferently(pdf, revisionEnd, s.num, body)) type = 'page_content';
    objects.push({ number: s.num, type });
    if (!['signature', 'signature_field', 'xref', 'catalog', 'page', 'array', 'form', 'signature_related'].includes(type)) other = true;
  }
  const hasSignature = objects.some((o) => o.type === 'signature');
  // Page/catalog/array updates are expected when a later signature adds its widget; anything else is a change.
  const kind = objects.length === 0 ? (bytesAfter > 64 ? 'other_changes' : 'none') : !other && hasSignature ? 'signatures_only' : 'other_changes';
  return { bytesAfter, revisionsAfter, kind, objects };
}

export async function verifyPdf(pdf: Uint8Array, o: VerifyOptions): Promise<VerificationReport> {
  const now = o.now ?? new Date();
  const report: VerificationReport = {
    kind: 'pdf',
    verdict: 'invalid',
    checkedAt: now.toISOString(),
    trust: [...new Set(o.anchors.map((a) => a.kind))],
    online: Boolean(o.revocation),
    signatures: [],
    problems: [],
    pdf: { lastSignatureCoversWholeFile: false, fileLength: pdf.length },
  };
  const found = findPdfSignatures(pdf);
  if (found.length === 0) {
    report.problems.push('no_signatures');
    return report;
  }
  for (const [i, f] of found.entries()) {
    const [, , c, d] = f.byteRange;
    const info: PdfSignatureInfo = {
      byteRange: f.byteRange,
      coversWholeFile: f.byteRange[0] === 0 && c + d === pdf.length,
      changesAfter: changesAfter(pdf, c + d),
    };
    if (f.subFilter) info.subFilter = f.subFilter;
    if (f.name) info.name = f.name;
    if (f.reason) info.reason = f.reason;
    if (f.location) info.location = f.location;
    if (f.docMdpPermission !== undefined) info.docMdpPermission = f.docMdpPermission;
    let sigReports: SignatureReport[] = [];
    if (f.cms.length > 0) {
      const parts = signedParts(pdf, f.byteRange);
      try {
        sigReports = await verifyCmsSigners(f.cms, (oid) => digestRanges(oid, parts), o);
      } catch {
        sigReports = [];
      }
    }
    if (sigReports.length === 0) {
      sigReports = [
        {
          index: i,
          integrity: 'signature_invalid',
          digestAlgorithm: '',
          signatureAlgorithm: '',
          signingCertificateV2: 'absent',
          chain: { status: 'untrusted', links: [] },
          revocation: { status: 'not_checked', checks: [] },
          reasons: ['pdf_signature_not_readable'],
          verdict: 'invalid',
        },
      ];
    }
    for (const s of sigReports) {
      s.index = i;
      if (f.fieldName) s.fieldName = f.fieldName;
      if (f.claimedTime && !s.claimedSigningTime) s.claimedSigningTime = f.claimedTime;
      if (info.changesAfter.kind === 'other_changes') s.reasons.push('pdf_changed_after_signing');
      // A certification (DocMDP) signature with P=1 allows no later revision at all; P=2/3 allow signatures.
      if (info.docMdpPermission === 1 && info.changesAfter.kind !== 'none') s.reasons.push('certification_forbids_changes');
      s.verdict = verdictOf(s.reasons);
      report.signatures.push({ ...s, pdf: info });
    }
  }
  const last = report.signatures[report.signatures.length - 1];
  report.pdf!.lastSignatureCoversWholeFile = Boolean(last?.pdf?.coversWholeFile);
  const verdicts = report.signatures.map((s) => s.verdict);
  if (!report.pdf!.lastSignatureCoversWholeFile) {
    report.problems.push('pdf_not_whole_file');
    verdicts.push(last?.pdf?.changesAfter.kind === 'other_changes' ? 'invalid' : 'indeterminate');
  }
  report.verdict = combineVerdicts(verdicts);
  return report;
}

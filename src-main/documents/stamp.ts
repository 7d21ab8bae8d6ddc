/**
 * Anti-forgery stamping of a supplier's own, unsigned PDF (issue 9 §6, seed 002 §4): a serial in
 * the Info dictionary (SERIAL_INFO_KEY) and XMP (dc:identifier), a QR code and a Code 128 barcode of
 * the serial on the title page, and the company logo as a translucent watermark on every page.
 *
 * Stamping comes before signing: a signature covers the bytes, and pdf-lib rewrites the whole file
 * here, so signed PDFs are refused. Page content streams are left as they are; the stamp is one
 * extra content stream per page (the old content wrapped in q/Q so its graphics state cannot leak),
 * and its resources use names starting with "SRK". Each page records what was added under
 * /SRKStamp, so a re-stamp removes the old stamp and its objects instead of drawing a second one.
 *
 * The file is opened with the bounded reader (src-shared/pdf) first, and every object pdf-lib will
 * parse is read under its caps: a decompression bomb or a million objects is refused with the
 * reader's code before pdf-lib (which inflates without a limit) touches the file. The serial, the
 * XMP packet and the title page's content are read through the bounded reader too.
 */
import { readFile, stat } from 'node:fs/promises';
import fontkit from '@pdf-lib/fontkit';
import QRCode from 'qrcode';
import {
  PDFArray,
  PDFDict,
  PDFName,
  PDFRawStream,
  PDFRef,
  PDFString,
  type PDFDocument,
  type PDFFont,
  type PDFImage,
  type PDFObject,
  type PDFPage,
} from 'pdf-lib';
import { SERIAL_INFO_KEY, newSerial } from '../../src-shared/documents/serial';
import type { Language } from '../../src-shared/i18n/languages';
import { AppError } from '../../src-shared/rpc/errors';
import { utf8 } from '../../src-shared/signing/bytes';
import { pdfaClaimOf } from '../../src-shared/signing/pdf-meta';
import { preflight } from './stamp/preflight';
import { loadPdf } from '../../src-shared/signing/pades';
import { findPdfSignatures } from '../../src-shared/signing/verify-pdf';
import { code128Bars } from './stamp/code128';
import { captionFont } from './stamp/font';
import { chooseFree, contentBoxes, type Box } from './stamp/placement';
import { STAMP_TEXTS, type StampNote } from './stamp/texts';
import { newXmpPacket, setXmpIdentifier } from './stamp/xmp';
import { writeAtomically } from '../files/write-atomically';

/** pdf-lib holds the whole document in memory (several times its size while saving): a clear cap. */
export const MAX_STAMP_PDF_BYTES = 100 * 1024 * 1024;

/**
 * Where an 'egov' QR points: a public lookup of the organization by BIN. The default is the Bureau
 * of National Statistics' legal-entity search; it MUST be confirmed with the customer (override
 * with SERIKTES_EGOV_REGISTRY_URL, `{bin}` is replaced by the BIN).
 */
export const DEFAULT_EGOV_REGISTRY_URL = 'https://stat.gov.kz/ru/juridical/by/bin/?bin={bin}';

export type QrTarget = 'portal' | 'egov' | 'none';

export interface StampOptions {
  /** The organization the document belongs to (12 digits); needed for the 'egov' QR. */
  bin?: string;
  qr: QrTarget;
  /** Public origin of the portal; the QR of 'portal' is `${portalUrl}/verify/${serial}`. */
  portalUrl: string;
  egovTemplate?: string;
  /** Company logo, PNG or JPEG bytes. */
  logo?: Uint8Array;
  /** Watermark opacity (ExtGState /ca), 0.03..0.5. */
  opacity?: number;
  language: Language;
  /** Replace the serial of an already stamped PDF (otherwise `document_already_stamped`). */
  restamp?: boolean;
  /** For tests: a fixed serial instead of a new random one. */
  serial?: string;
}

export interface StampGeometry {
  corner: 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left';
  /** In visible-page coordinates (points, origin at the visible bottom-left). */
  qr?: Box;
  barcode: Box;
  block: Box;
}

export interface StampResult {
  pdf: Uint8Array;
  serial: string;
  qrUrl?: string;
  previousSerial?: string;
  notes: StampNote[];
  geometry: StampGeometry;
}

const MM = 72 / 25.4;
/** The block's distance from the visible page edges. */
const EDGE = 6 * MM;
/** The QR symbol including its 4-module quiet zone. */
const QR_SIZE = 24 * MM;
/** Code 128 narrow bar: 0.25 mm prints reliably and scans at 200 dpi (≈2 px). */
const BAR_MODULE = 0.25 * MM;
const BAR_QUIET = 10;
const BAR_HEIGHT = 9 * MM;
const GAP = 2.5 * MM;
const CAPTION_SIZE = 6;
const STAMP_KEY = PDFName.of('SRKStamp');
const RES_PREFIX = 'SRK';

export function qrTargetUrl(o: Pick<StampOptions, 'qr' | 'portalUrl' | 'bin' | 'egovTemplate'>, serial: string): string | undefined {
  if (o.qr === 'none') return undefined;
  if (o.qr === 'egov') {
    if (!o.bin) throw new AppError('invalid_input', 'The eGov QR needs the BIN', { field: 'bin' });
    return (o.egovTemplate || DEFAULT_EGOV_REGISTRY_URL).replace(/\{bin\}/g, encodeURIComponent(o.bin));
  }
  // The serial's characters (A-Z 0-9 - * ~ $ =) are all allowed in a URL path segment (RFC 3986
  // pchar), so the URL is kept readable: '$' and '=' stay as they are rather than %24 / %3D.
  return `${o.portalUrl.replace(/\/+$/, '')}/verify/${serial.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@]/g, encodeURIComponent)}`;
}

/** True when the PDF carries a signature (a /ByteRange anywhere, or a signature field with a value). */
function isSigned(pdf: Uint8Array, doc: PDFDocument): boolean {
  if (findPdfSignatures(pdf).length > 0) return true;
  const acro = doc.catalog.lookup(PDFName.of('AcroForm'));
  const fields = acro instanceof PDFDict ? acro.lookup(PDFName.of('Fields')) : undefined;
  const signedField = (arr: PDFArray, depth: number): boolean =>
    depth < 20 &&
    arr.asArray().some((r) => {
      const f = r instanceof PDFRef ? doc.context.lookup(r) : r;
      if (!(f instanceof PDFDict)) return false;
      const kids = f.lookup(PDFName.of('Kids'));
      return (f.lookup(PDFName.of('FT')) === PDFName.of('Sig') && f.get(PDFName.of('V')) !== undefined) || (kids instanceof PDFArray && signedField(kids, depth + 1));
    });
  return fields instanceof PDFArray && signedField(fields, 0);
}

/** Deletes an object and everything reachable from it (only for objects the stamp itself made). */
function deleteGraph(doc: PDFDocument, root: PDFObject | undefined, seen = new Set<string>()): void {
  if (root instanceof PDFRef) {
    if (seen.has(root.toString())) return;
    seen.add(root.toString());
    const obj = doc.context.lookup(root);
    doc.context.delete(root);
    deleteGraph(doc, obj, seen);
  } else if (root instanceof PDFDict) {
    for (const [, v] of root.entries()) deleteGraph(doc, v, seen);
  } else if (root instanceof PDFArray) {
    for (const v of root.asArray()) deleteGraph(doc, v, seen);
  } else if (root instanceof PDFRawStream) {
    deleteGraph(doc, root.dict, seen);
  }
}

/** The page's Contents as a list of refs (a single stream becomes a one-element list). */
function contentRefs(page: PDFPage): PDFObject[] {
  const raw = page.node.get(PDFName.of('Contents'));
  if (raw === undefined) return [];
  const v = page.doc.context.lookup(raw);
  return v instanceof PDFArray ? v.asArray() : [raw];
}

/** Removes a previous stamp from a page (its content streams and SRK resources, with their objects). */
function removeOldStamp(doc: PDFDocument, page: PDFPage): void {
  const old = page.node.lookup(STAMP_KEY);
  if (!(old instanceof PDFArray)) return;
  const ours = new Set(old.asArray().map((r) => r.toString()));
  page.node.set(PDFName.of('Contents'), doc.context.obj(contentRefs(page).filter((r) => !ours.has(r.toString()))));
  for (const r of old.asArray()) if (r instanceof PDFRef) doc.context.delete(r);
  page.node.delete(STAMP_KEY);
  const res = page.node.Resources();
  for (const kind of ['Font', 'XObject', 'ExtGState']) {
    const sub = res?.lookup(PDFName.of(kind));
    if (!(sub instanceof PDFDict)) continue;
    for (const [k, v] of sub.entries()) {
      if (k.decodeText().startsWith(RES_PREFIX)) {
        sub.delete(k);
        deleteGraph(doc, v);
      }
    }
  }
}

/**
 * The page's own Resources with its own Font/XObject/ExtGState dictionaries, so adding our names
 * never changes what other pages (sharing an inherited or indirect dictionary) see.
 */
function ownResources(doc: PDFDocument, page: PDFPage): PDFDict {
  const inherited = page.node.Resources();
  const res = inherited ? inherited.clone(doc.context) : doc.context.obj({});
  for (const kind of ['Font', 'XObject', 'ExtGState']) {
    const sub = res.lookup(PDFName.of(kind));
    res.set(PDFName.of(kind), sub instanceof PDFDict ? sub.clone(doc.context) : doc.context.obj({}));
  }
  page.node.set(PDFName.of('Resources'), res);
  return res;
}

function setResource(res: PDFDict, kind: string, name: string, ref: PDFRef) {
  (res.lookup(PDFName.of(kind)) as PDFDict).set(PDFName.of(name), ref);
}

/** Visible box (CropBox within MediaBox), rotation, and the matrix from visible coordinates to user space. */
function visibleFrame(page: PDFPage): { w: number; h: number; matrix: number[] } {
  const b = page.getCropBox();
  const x0 = b.x;
  const y0 = b.y;
  const x1 = b.x + b.width;
  const y1 = b.y + b.height;
  const rot = (((page.getRotation().angle % 360) + 360) % 360) as 0 | 90 | 180 | 270;
  switch (rot) {
    case 90:
      return { w: b.height, h: b.width, matrix: [0, 1, -1, 0, x1, y0] };
    case 180:
      return { w: b.width, h: b.height, matrix: [-1, 0, 0, -1, x1, y1] };
    case 270:
      return { w: b.height, h: b.width, matrix: [0, -1, 1, 0, x0, y1] };
    default:
      return { w: b.width, h: b.height, matrix: [1, 0, 0, 1, x0, y0] };
  }
}

const f = (n: number) => (Math.round(n * 1000) / 1000).toString();
const toUser = (m: number[], b: Box): Box => {
  const pts = [
    [b.x0, b.y0],
    [b.x1, b.y1],
    [b.x0, b.y1],
    [b.x1, b.y0],
  ].map(([x, y]) => [m[0]! * x! + m[2]! * y! + m[4]!, m[1]! * x! + m[3]! * y! + m[5]!]);
  return { x0: Math.min(...pts.map((p) => p[0]!)), y0: Math.min(...pts.map((p) => p[1]!)), x1: Math.max(...pts.map((p) => p[0]!)), y1: Math.max(...pts.map((p) => p[1]!)) };
};

/** QR modules as filled rectangles, one per horizontal run (fewer operators than one per module). */
function qrOps(url: string, box: Box): string {
  const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const unit = (box.x1 - box.x0) / (n + 8);
  const ops = [`1 g ${f(box.x0)} ${f(box.y0)} ${f(box.x1 - box.x0)} ${f(box.y1 - box.y0)} re f 0 g`];
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; ) {
      if (!qr.modules.get(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && qr.modules.get(r, c)) c++;
      // Row 0 is the top of the symbol; PDF y grows upwards.
      ops.push(`${f(box.x0 + (4 + start) * unit)} ${f(box.y1 - (4 + r + 1) * unit)} ${f((c - start) * unit)} ${f(unit)} re`);
    }
  }
  ops.push('f');
  return ops.join('\n');
}

function barcodeOps(serial: string, box: Box): string {
  const { bars } = code128Bars(serial);
  const ops = [`1 g ${f(box.x0)} ${f(box.y0)} ${f(box.x1 - box.x0)} ${f(box.y1 - box.y0)} re f 0 g`];
  for (const [x, w] of bars) ops.push(`${f(box.x0 + (BAR_QUIET + x) * BAR_MODULE)} ${f(box.y0)} ${f(w * BAR_MODULE)} ${f(box.y1 - box.y0)} re`);
  ops.push('f');
  return ops.join('\n');
}

/** Caption lines, each shrunk (down to 4 pt) and then shortened to fit the width. */
function captionOps(font: PDFFont, lines: string[], x: number, top: number, width: number): string {
  const ops: string[] = [];
  let y = top;
  for (const line of lines) {
    let size = CAPTION_SIZE;
    let text = line;
    while (font.widthOfTextAtSize(text, size) > width && size > 4) size -= 0.25;
    while (font.widthOfTextAtSize(text, size) > width && text.length > 4) text = `${text.slice(0, -2)}…`;
    y -= size * 1.2;
    ops.push(`BT /${RES_PREFIX}Font ${f(size)} Tf ${f(x)} ${f(y)} Td ${font.encodeText(text).toString()} Tj ET`);
  }
  return ops.join('\n');
}

async function embedLogo(doc: PDFDocument, bytes: Uint8Array): Promise<PDFImage> {
  try {
    if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return await doc.embedPng(bytes);
    if (bytes[0] === 0xff && bytes[1] === 0xd8) return await doc.embedJpg(bytes);
  } catch {
    /* fall through: damaged image */
  }
  throw new AppError('logo_invalid', 'The logo must be a PNG or JPEG image');
}

/** `xmp`: the document's packet as the bounded reader read it (undefined: it has none; null: unreadable). */
function writeSerialMetadata(doc: PDFDocument, serial: string, xmp: string | null | undefined, notes: StampNote[]): void {
  const ctx = doc.context;
  const infoRef = ctx.trailerInfo.Info;
  let info = infoRef ? ctx.lookup(infoRef) : undefined;
  if (!(info instanceof PDFDict)) {
    info = ctx.obj({});
    ctx.trailerInfo.Info = ctx.register(info);
  }
  (info as PDFDict).set(PDFName.of(SERIAL_INFO_KEY), PDFString.of(serial));

  const metaRef = doc.catalog.get(PDFName.of('Metadata'));
  let packet: string | null;
  if (xmp !== undefined) {
    const update = xmp === null ? null : setXmpIdentifier(xmp, serial);
    if (update?.replaced) notes.push('identifier_replaced');
    packet = update?.xmp ?? null;
    if (packet === null) {
      notes.push('xmp_unreadable');
      return;
    }
  } else packet = newXmpPacket(serial);
  // Uncompressed, as PDF/A wants metadata streams; assigned to the same object number when one
  // existed, so no stale copy with an old serial stays in the file.
  const stream = ctx.stream(utf8(packet), { Type: 'Metadata', Subtype: 'XML' });
  if (metaRef instanceof PDFRef) ctx.assign(metaRef, stream);
  else doc.catalog.set(PDFName.of('Metadata'), ctx.register(stream));
}

/**
 * Stamps PDF bytes. Throws AppError: pdf_invalid, pdf_encrypted, pdf_too_large, the bounded
 * reader's pdf_inflate_limit / pdf_too_many_objects / …, document_already_signed,
 * document_already_stamped, logo_invalid.
 */
export async function stampPdf(input: Uint8Array, o: StampOptions): Promise<StampResult> {
  try {
    return await stampUnchecked(input, o);
  } catch (e) {
    // pdf-lib meets a damaged catalog or page tree with its own TypeErrors and stack overflows: the file is the problem.
    if (e instanceof AppError) throw e;
    throw new AppError('pdf_invalid', 'The PDF structure cannot be read for stamping');
  }
}

async function stampUnchecked(input: Uint8Array, o: StampOptions): Promise<StampResult> {
  if (input.length > MAX_STAMP_PDF_BYTES) throw new AppError('pdf_too_large', 'The PDF is too large to stamp', { size: input.length, max: MAX_STAMP_PDF_BYTES });
  const read = preflight(input);
  const doc = await loadPdf(input);
  if (isSigned(input, doc)) throw new AppError('document_already_signed', 'The PDF is signed already: stamp first, then sign');
  const previousSerial = read.serial;
  if (previousSerial && !o.restamp) throw new AppError('document_already_stamped', 'The PDF carries a serial already', { serial: previousSerial });
  const pages = doc.getPages();
  if (pages.length === 0) throw new AppError('pdf_invalid', 'The PDF has no pages');

  const notes: StampNote[] = [];
  if (previousSerial) notes.push('restamped');
  for (const page of pages) removeOldStamp(doc, page);
  const serial = o.serial ?? newSerial();
  const ctx = doc.context;

  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(captionFont(), { subset: true });
  const logo = o.logo ? await embedLogo(doc, o.logo) : undefined;
  const gs = logo ? ctx.register(ctx.obj({ Type: 'ExtGState', ca: o.opacity ?? 0.12, CA: o.opacity ?? 0.12 })) : undefined;
  const push = ctx.register(ctx.flateStream('q\n'));
  const pop = ctx.register(ctx.flateStream('\nQ\n'));

  // The title page's block: QR in the corner, the barcode and caption beside it, towards the centre.
  const first = visibleFrame(pages[0]!);
  const qrUrl = qrTargetUrl(o, serial);
  const barWidth = (code128Bars(serial).modules + 2 * BAR_QUIET) * BAR_MODULE;
  const blockH = qrUrl ? QR_SIZE : BAR_HEIGHT + 2 * CAPTION_SIZE * 1.2 + 2;
  const blockW = barWidth + (qrUrl ? GAP + QR_SIZE : 0);
  const corners = (['bottom-right', 'bottom-left', 'top-right', 'top-left'] as const).map((corner) => {
    const right = corner.endsWith('right');
    const x0 = right ? first.w - EDGE - blockW : EDGE;
    const y0 = corner.startsWith('bottom') ? EDGE : first.h - EDGE - blockH;
    const block = { x0, y0, x1: x0 + blockW, y1: y0 + blockH };
    return { corner, block, box: toUser(first.matrix, block) };
  });
  const { choice, free } = chooseFree(corners, contentBoxes(pages[0]!, read.firstPageContents));
  if (!free) notes.push('stamp_may_cover_content');
  const { block } = choice;
  const right = choice.corner.endsWith('right');
  const qrBox = qrUrl ? (right ? { x0: block.x1 - QR_SIZE, y0: block.y0, x1: block.x1, y1: block.y1 } : { x0: block.x0, y0: block.y0, x1: block.x0 + QR_SIZE, y1: block.y1 }) : undefined;
  const colX = qrUrl && !right ? block.x0 + QR_SIZE + GAP : block.x0;
  const barBox = { x0: colX, y0: block.y1 - BAR_HEIGHT, x1: colX + barWidth, y1: block.y1 };

  const t = STAMP_TEXTS[o.language];
  const caption = [`${t.serial}: ${serial}`];
  if (qrUrl) caption.push(o.qr === 'egov' ? `${t.verifyEgov} (${o.bin ?? ''}):` : `${t.verifyPortal}:`, qrUrl);
  const titleOps = [
    qrBox && qrUrl ? qrOps(qrUrl, qrBox) : '',
    barcodeOps(serial, barBox),
    `0 g ${captionOps(font, caption, colX + BAR_QUIET * BAR_MODULE, barBox.y0 - 1.5 * MM, barWidth - BAR_QUIET * BAR_MODULE)}`,
  ].join('\n');

  pages.forEach((page, i) => {
    const frame = i === 0 ? first : visibleFrame(page);
    const res = ownResources(doc, page);
    const ops: string[] = ['q', `${frame.matrix.map(f).join(' ')} cm`];
    if (logo && gs) {
      setResource(res, 'XObject', `${RES_PREFIX}Logo`, logo.ref);
      setResource(res, 'ExtGState', `${RES_PREFIX}Gs`, gs);
      // Centred, at most half the visible width and height, aspect ratio kept.
      const scale = Math.min((frame.w * 0.5) / logo.width, (frame.h * 0.5) / logo.height);
      const w = logo.width * scale;
      const h = logo.height * scale;
      ops.push(`q /${RES_PREFIX}Gs gs ${f(w)} 0 0 ${f(h)} ${f((frame.w - w) / 2)} ${f((frame.h - h) / 2)} cm /${RES_PREFIX}Logo Do Q`);
    }
    if (i === 0) {
      setResource(res, 'Font', `${RES_PREFIX}Font`, font.ref);
      ops.push(titleOps);
    }
    ops.push('Q');
    if (ops.length === 3) return; // nothing to draw on this page (no logo)
    const stamp = ctx.register(ctx.flateStream(ops.join('\n')));
    page.node.set(PDFName.of('Contents'), ctx.obj([push, ...contentRefs(page), pop, stamp]));
    page.node.set(STAMP_KEY, ctx.obj([push, pop, stamp]));
  });

  writeSerialMetadata(doc, serial, read.xmp, notes);
  if (logo) {
    notes.push('transparency_pdfa2b');
    if (read.xmp && pdfaClaimOf(read.xmp)?.part === '1') notes.push('pdfa1_claim_broken');
  }
  // No object streams: the output stays readable by PDF 1.4 tools and by the signing step's
  // incremental update, and nothing else about the file's structure changes unnecessarily.
  const pdf = await doc.save({ useObjectStreams: false, updateFieldAppearances: false });
  return {
    pdf,
    serial,
    ...(qrUrl ? { qrUrl } : {}),
    ...(previousSerial ? { previousSerial } : {}),
    notes,
    geometry: { corner: choice.corner, ...(qrBox ? { qr: qrBox } : {}), barcode: barBox, block },
  };
}


/** Reads a PDF, stamps it, writes the result (atomically). */
export async function stampFile(inPath: string, outPath: string, o: StampOptions): Promise<Omit<StampResult, 'pdf'> & { bytes: number }> {
  const size = (await stat(inPath)).size;
  if (size > MAX_STAMP_PDF_BYTES) throw new AppError('pdf_too_large', 'The PDF is too large to stamp', { size, max: MAX_STAMP_PDF_BYTES });
  const { pdf, ...rest } = await stampPdf(new Uint8Array(await readFile(inPath)), o);
  await writeAtomically(outPath, pdf);
  return { ...rest, bytes: pdf.length };
}

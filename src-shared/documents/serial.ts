/**
 * Anti-forgery serial numbers (seed 002 §4: "a unique barcode / serial number of the document in
 * the PDF metadata and in the file name"). Generated offline by the app, so they are random (60
 * bits) rather than sequential, with a check character that catches a mistyped serial before the
 * portal is asked. Shape: `SRK-XXXX-XXXX-XXXX-C`, Crockford base32 (no I, L, O, U: nothing that
 * reads as 1 or 0 on a printed page).
 */
import type { PdfView } from '../pdf';
import { catalogXmp, pdfText } from '../signing/pdf-meta';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Crockford's check symbols: the alphabet plus *~$=U, for a value mod 37. */
const CHECK = `${ALPHABET}*~$=U`;
export const SERIAL_PATTERN = /^SRK-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z*~$=U]$/;
/** The Info dictionary key the serial is written under (next to XMP dc:identifier). */
export const SERIAL_INFO_KEY = 'SeriktesSerial';

function checkChar(body: string): string {
  let mod = 0;
  for (const ch of body) mod = (mod * 32 + ALPHABET.indexOf(ch)) % 37;
  return CHECK[mod]!;
}

/** A new serial from 60 random bits (WebCrypto, so app and portal share this). */
export function newSerial(random: (n: number) => Uint8Array = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n))): string {
  const bytes = random(8);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let body = '';
  for (let i = 0; i < 12; i++) body += ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return `SRK-${body.slice(0, 4)}-${body.slice(4, 8)}-${body.slice(8, 12)}-${checkChar(body)}`;
}

/** Normalises what a person typed (lower case, O for 0, I/L for 1, spaces) and checks the check character. */
export function normalizeSerial(input: string): string | null {
  const s = input.trim().toUpperCase().replace(/\s+/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!SERIAL_PATTERN.test(s)) return null;
  const body = s.slice(4, 18).replace(/-/g, '');
  return checkChar(body) === s.slice(-1) ? s : null;
}

export const isValidSerial = (s: string): boolean => normalizeSerial(s) === s;

/** `name.pdf` → `name_SRK-….pdf` (the serial in the file name), replacing an older serial if present. */
export function fileNameWithSerial(name: string, serial: string): string {
  const dot = name.lastIndexOf('.');
  const stem = (dot > 0 ? name.slice(0, dot) : name).replace(/[_ ]?SRK-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z*~$=]$/, '');
  const ext = dot > 0 ? name.slice(dot) : '.pdf';
  return `${stem.slice(0, 255 - ext.length - serial.length - 1)}_${serial}${ext}`;
}

/**
 * The serial a PDF carries: the Info dictionary entry, else XMP dc:identifier. Only a well-formed
 * serial with a correct check character counts. Read with the bounded reader: an XMP packet beyond
 * its caps throws (PdfReadError pdf_inflate_limit) rather than counting as "no serial".
 */
export function serialOfPdf(view: PdfView): string | null {
  const info = view.dict(view.revision.trailer.get('Info'));
  const text = info ? pdfText(view.resolve(info.get(SERIAL_INFO_KEY))) : null;
  const fromInfo = text ? normalizeSerial(text) : null;
  if (fromInfo) return fromInfo;
  const xmp = catalogXmp(view);
  if (!xmp) return null;
  const block = /<dc:identifier>([\s\S]*?)<\/dc:identifier>/.exec(xmp)?.[1] ?? /dc:identifier="([^"]*)"/.exec(xmp)?.[1];
  for (const m of (block ?? '').matchAll(/SRK-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z*~$=]/g)) {
    const s = normalizeSerial(m[0]);
    if (s) return s;
  }
  return null;
}

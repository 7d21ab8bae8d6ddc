/**
 * Content type from the bytes, never from the name or the client's header.
 * Only types the product needs are accepted: PDF, images (PNG, JPEG,
 * JPEG 2000), ZIP-based office documents, PKCS#12 keys and CMS signatures.
 */
const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((v, i) => b[at + i] === v);
const OID_DATA = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
const OID_SIGNED_DATA = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];

/** Skips a DER tag+length header, returning the offset of its content (or -1). */
function derContent(b: Uint8Array, at: number): number {
  const len = b[at + 1];
  if (len === undefined) return -1;
  if (len < 0x80) return at + 2;
  const n = len & 0x7f;
  return n >= 1 && n <= 4 ? at + 2 + n : -1;
}

const indexOf = (hay: Uint8Array, needle: string): boolean => Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength).includes(needle, 0, 'latin1');

/** `head` is the first bytes of the file (64 KiB is plenty). */
export function sniffContentType(head: Uint8Array): string | null {
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a])) return 'image/jp2';
  if (startsWith(head, [0xff, 0x4f, 0xff, 0x51])) return 'image/j2k';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    if (indexOf(head, 'word/')) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    if (indexOf(head, 'xl/')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    if (indexOf(head, 'ppt/')) return 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
    return 'application/zip';
  }
  if (head[0] === 0x30) {
    const inner = derContent(head, 0);
    if (inner < 0) return null;
    // PFX: SEQUENCE { INTEGER 3, SEQUENCE { OID data, ... } }
    if (startsWith(head, [0x02, 0x01, 0x03], inner)) {
      const authSafe = derContent(head, inner + 3);
      if (authSafe > 0 && startsWith(head, OID_DATA, authSafe)) return 'application/x-pkcs12';
    }
    // CMS: SEQUENCE { OID signedData, [0] ... }
    if (startsWith(head, OID_SIGNED_DATA, inner)) return 'application/pkcs7-signature';
  }
  return null;
}

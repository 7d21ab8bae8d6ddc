/**
 * Content type from the first bytes of a file, never from its name: a file
 * named .pdf that is really an executable must not pass as a PDF.
 */
const startsWith = (bytes: Uint8Array, sig: number[], offset = 0) =>
  bytes.length >= offset + sig.length && sig.every((b, i) => bytes[offset + i] === b);

export function sniffContentType(head: Uint8Array): string {
  // PDF may have up to 1 KB of junk before %PDF- (Acrobat tolerates it; so do we).
  const scan = head.subarray(0, Math.min(head.length, 1024));
  for (let i = 0; i + 5 <= scan.length; i++) {
    if (scan[i] === 0x25 && startsWith(scan, [0x25, 0x50, 0x44, 0x46, 0x2d], i)) return 'application/pdf';
  }
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20]) || startsWith(head, [0xff, 0x4f, 0xff, 0x51])) return 'image/jp2';
  if (startsWith(head, [0x47, 0x49, 0x46, 0x38])) return 'image/gif';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return 'application/zip';
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'application/x-ole-storage';
  // DER SEQUENCE: PKCS#12, certificates and CMS all start like this.
  if (startsWith(head, [0x30, 0x82]) || startsWith(head, [0x30, 0x80]) || startsWith(head, [0x30, 0x83])) return 'application/pkcs-der';
  if (looksLikeText(head)) return 'text/plain';
  return 'application/octet-stream';
}

function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  for (const b of head.subarray(0, 512)) {
    if (b === 0) return false;
    if (b < 0x09 || (b > 0x0d && b < 0x20)) return false;
  }
  return true;
}

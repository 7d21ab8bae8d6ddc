import { PdfReadError } from './model';

/** Only PdfReadError leaves the reader: a blown stack is nesting, anything else an unreadable file. */
export function toPdfError(e: unknown): PdfReadError {
  if (e instanceof PdfReadError) return e;
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return new PdfReadError('pdf_nesting_too_deep', 'the file nests objects too deeply to read');
  }
  return new PdfReadError('pdf_invalid', `the file cannot be read: ${e instanceof Error ? e.message.slice(0, 200) : String(e)}`);
}
